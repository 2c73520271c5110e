//! Which functions the summary step analyses.
//!
//! Building a function's context and classifying its calls is most of
//! connlint's time, and most functions of most crates never come near a
//! database. So summaries are computed in rounds. The first round takes the
//! functions whose text contains a word that reveals a database API: a
//! database crate's name, a modelled type, function, macro or untyped method
//! of a crate the crate imports, a field or alias whose type holds a
//! database type, a `static`, or a crate function whose declared result
//! holds one. Each later round takes the functions that name a function the
//! round before found relevant (see [`Summary::relevant`](crate::index::effects::Summary)),
//! and the functions such a function hands a value that may hold a database
//! value (a generic wrapper that keeps a clone of the pool it is handed
//! matters to its caller, whatever it names), until nothing new turns up.
//!
//! A function reaches another only by naming it: a free function or a
//! method by its own name, an associated function by its type's (`Db::new`,
//! or `Self::new` inside the impl, whose type counts as named). `use a::b as
//! c` makes `c` name `b` too. Values of a database type come from somewhere
//! the first round's words name. So every function the rules would find
//! relevant is analysed; the others have no summary, which the rules read
//! as "does nothing to its arguments", and the check step skips them. The
//! deep tier (types from rustc, no names needed) and [`Names::everything`]
//! analyse every function; the fixture tests run both ways.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::hash::Hasher as _;

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

use crate::facts::summary;
use crate::index::decls::{CrateMeta, FnDecl};
use crate::index::effects::Summary;
use crate::index::workspace_index::WorkspaceIndex;
use crate::names::model::{Models, Word};
use crate::names::resolve::PathBuf;
use crate::syntax::source::ParsedFile;

/// An identifier as the selection compares it. Two words sharing a hash
/// only cost an extra analysis.
fn hash(word: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(word.as_bytes());
    hasher.finish()
}

/// A glob prefix is stored as the word `prefix*`, which no identifier is.
pub(crate) fn prefix_hash(prefix: &str) -> u64 {
    hash(&format!("{prefix}*"))
}

/// A function's key as the selection compares it.
fn key_hash(key: &[String]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    for segment in key {
        hasher.write(segment.as_bytes());
        hasher.write_u8(0xff);
    }
    hasher.finish()
}

/// What selects functions for a round: words they contain, or their keys.
#[derive(Clone, Debug, Default)]
pub struct Names {
    words: HashSet<u64>,
    keys: HashSet<u64>,
    /// The last segment of each of `keys`: a function's name, which its
    /// words know without the index (see [`FnWords::name`]).
    key_names: HashSet<u64>,
    everything: bool,
}

impl Names {
    /// Selects every function.
    pub fn everything() -> Names {
        Names {
            everything: true,
            ..Names::default()
        }
    }

    /// Nothing to select: the summary step is done.
    pub fn is_empty(&self) -> bool {
        !self.everything && self.words.is_empty() && self.keys.is_empty()
    }

    /// Whether the function whose key hashes to `key` is selected.
    fn matches(&self, function: &FnWords, key: u64) -> bool {
        self.everything
            || self.keys.contains(&key)
            || function.words.iter().any(|w| self.words.contains(w))
    }

    /// Whether the function may be selected: [`Names::matches`] without
    /// its key, by its name instead (never false where that is true).
    fn may_match(&self, function: &FnWords) -> bool {
        self.everything
            || self.key_names.contains(&function.name)
            || function.words.iter().any(|w| self.words.contains(w))
    }

    fn add_key(&mut self, key: &PathBuf) {
        self.keys.insert(key_hash(key));
        if let Some(name) = key.last() {
            self.key_names.insert(hash(name));
        }
    }
}

#[derive(Debug)]
struct FnWords {
    /// The function's name: the last segment of its key. Words are
    /// collected before the index that resolves whole keys exists.
    name: u64,
    /// Sorted, without duplicates.
    words: Box<[u64]>,
    /// The body's slot if it is kept aside (see [`crate::syntax::bodies`]).
    body: Option<usize>,
}

/// The words of every function of one file, in walk order, and which
/// functions the rounds analysed.
#[derive(Debug, Default)]
pub struct FileWords {
    /// Whether the words were collected; without them every function is
    /// analysed and checked (exhaustive mode).
    collected: bool,
    /// `None` once the function was analysed.
    fns: Vec<Option<FnWords>>,
    /// The file may register request handlers with a web framework; the
    /// summary step collects registrations, so the first round takes every
    /// function.
    web: bool,
    /// Keys of the functions analysed, and whether the crate declares them.
    analysed: Vec<(PathBuf, bool)>,
    /// Test code is neither checked nor analysed. Code outside tests cannot
    /// call it (it does not exist when `test` is off), so no summary the
    /// rules read depends on it.
    skip_tests: bool,
}

impl FileWords {
    /// Whether the function at `ordinal` in walk order, whose key hashes
    /// to `key`, is analysed this round.
    fn select(&mut self, ordinal: usize, key: u64, names: &Names, all: bool) -> bool {
        if !self.collected {
            return true;
        }
        let Some(slot) = self.fns.get_mut(ordinal) else {
            return true;
        };
        let take = slot.as_ref().is_some_and(|f| all || names.matches(f, key));
        if take {
            *slot = None;
        }
        take
    }

    /// Whether any function not yet analysed may be selected: when false,
    /// the round has nothing to do in the file.
    pub fn any_selected(&self, names: &Names) -> bool {
        !self.collected || self.web || self.fns.iter().flatten().any(|f| names.may_match(f))
    }

    /// Whether the words were collected: without them the file is analysed
    /// whole.
    pub fn collected(&self) -> bool {
        self.collected
    }

    /// The file turned out to be test code as a whole (a module its parent
    /// declares `#[cfg(test)]`), which is not analysed: no function of it
    /// is selected.
    pub fn in_tests(&mut self) {
        if self.skip_tests {
            self.fns.clear();
            self.web = false;
        }
    }

    /// The keys of the functions the rules must check once the rounds are
    /// over: those analysed and found relevant, and analysed functions the
    /// crate does not declare (nested in bodies), which have no summary.
    /// `None` when every function is checked by its summary alone.
    pub fn to_check(&self, index: &WorkspaceIndex) -> Option<HashSet<&PathBuf>> {
        self.collected.then(|| {
            self.analysed
                .iter()
                .filter(|(key, declared)| !declared || index.is_relevant(key))
                .map(|(key, _)| key)
                .collect()
        })
    }
}

/// Glob prefixes of model names, each with the word standing for it.
pub fn word_prefixes(models: &Models) -> Vec<(String, u64)> {
    models
        .word_prefixes()
        .into_iter()
        .map(|prefix| {
            let word = prefix_hash(&prefix);
            (prefix, word)
        })
        .collect()
}

/// Collects the words of each function of a file; of its test code too
/// only when the rules check tests. It needs no index, so that it runs
/// right after parsing and the file's tree need not be kept for it; a file
/// the index later finds to be test code as a whole is told
/// [`FileWords::in_tests`].
pub fn file_words(
    file: &ParsedFile,
    krate: &CrateMeta,
    prefixes: &[(String, u64)],
    include_tests: bool,
) -> FileWords {
    let mut collector = WordCollector {
        prefixes,
        text: String::new(),
        words: Vec::new(),
    };
    let mut fns = Vec::new();
    crate::function::walk::for_each_site(file, krate, include_tests, &mut |site| {
        collector.visit_signature(site.sig);
        match file.unparsed_body_text(site.body) {
            Some(text) => crate::syntax::scan::for_each_ident(text, |word| collector.word(word)),
            None => collector.visit_block(site.body),
        }
        // `Self::open()` names the impl's type.
        for path in [site.self_type, site.impl_trait].into_iter().flatten() {
            if let Some(name) = path.last() {
                collector.words.push(hash(name));
            }
        }
        let mut words = std::mem::take(&mut collector.words);
        words.sort_unstable();
        words.dedup();
        fns.push(Some(FnWords {
            name: site.key.last().map_or(0, |name| hash(name)),
            words: words.into_boxed_slice(),
            body: file.body_slot(site.body),
        }));
    });
    let web = crate::names::attrs::FRAMEWORKS
        .iter()
        .any(|framework| file.text.contains(framework));
    FileWords {
        collected: true,
        fns,
        web,
        analysed: Vec::new(),
        skip_tests: !include_tests,
    }
}

struct WordCollector<'a> {
    prefixes: &'a [(String, u64)],
    /// Reused buffer for an identifier's text.
    text: String,
    words: Vec<u64>,
}

impl WordCollector<'_> {
    fn ident(&mut self, ident: &proc_macro2::Ident) {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let _ = write!(text, "{ident}");
        self.word(&text);
        self.text = text;
    }

    fn word(&mut self, word: &str) {
        self.words.push(hash(word));
        for (prefix, prefix_word) in self.prefixes {
            if word.starts_with(prefix.as_str()) {
                self.words.push(*prefix_word);
            }
        }
    }

    fn tokens(&mut self, tokens: &TokenStream) {
        for token in tokens.clone() {
            match token {
                TokenTree::Ident(ident) => self.ident(&ident),
                TokenTree::Group(group) => self.tokens(&group.stream()),
                _ => {}
            }
        }
    }
}

impl<'ast> Visit<'ast> for WordCollector<'_> {
    fn visit_ident(&mut self, ident: &'ast proc_macro2::Ident) {
        self.ident(ident);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        syn::visit::visit_macro(self, mac);
        self.tokens(&mac.tokens);
    }
}

/// One round of step 2: the summaries of the functions of `file` that
/// `names` selects and no earlier round analysed.
pub fn summaries(
    file: &ParsedFile,
    index: &WorkspaceIndex,
    words: &mut FileWords,
    names: &Names,
) -> FileSummaries {
    let mut out = FileSummaries {
        file: file.id,
        summaries: Vec::new(),
        handlers: Vec::new(),
    };
    // Most files have nothing to analyse in most rounds: skip the walk.
    if !words.any_selected(names) {
        return out;
    }
    let all = std::mem::take(&mut words.web);
    // The round's bodies are lexed together, before the walk asks for them.
    file.prepare_bodies(
        words
            .fns
            .iter()
            .flatten()
            .filter(|f| all || names.may_match(f))
            .filter_map(|f| f.body),
    );
    let mut ordinal = 0;
    let mut analysed = Vec::new();
    crate::function::walk::walk(
        file,
        index,
        !words.skip_tests,
        &mut |site| {
            ordinal += 1;
            let take = words.select(ordinal - 1, key_hash(site.key), names, all);
            if take {
                analysed.push((site.key.clone(), index.function(site.key).is_some()));
            }
            take
        },
        &mut |cx| {
            out.handlers
                .extend(crate::function::handlers::registrations(cx));
            if let Some(decl) = &cx.decl {
                out.summaries
                    .push((decl.key.clone(), summary::local_summary(cx)));
            }
        },
    );
    words.analysed.extend(analysed);
    out
}

/// The name a caller of `decl` must write: an associated function's type
/// (`Db::open`, `Self::open`), otherwise the function's own name.
fn callable_name(decl: &FnDecl) -> Option<&String> {
    match (&decl.self_param, &decl.self_type) {
        (None, Some(self_type)) => self_type.last(),
        _ => decl.key.last(),
    }
}

/// The selection's own state over the rounds of one unit of analysis.
#[derive(Debug, Default)]
pub struct Selection {
    /// Every function is analysed in the first round.
    exhaustive: bool,
    /// Functions whose names already selected a round.
    exported: HashSet<PathBuf>,
    /// Functions selected by key, as callees of relevant functions.
    demanded: HashSet<PathBuf>,
}

impl Selection {
    /// Adds a name and the aliases `use .. as` gives it.
    fn add_name(index: &WorkspaceIndex, names: &mut Names, name: &str) {
        let mut pending = vec![name.to_string()];
        let mut seen = HashSet::new();
        while let Some(name) = pending.pop() {
            if seen.insert(name.clone()) {
                names.words.insert(hash(&name));
                if let Some(aliases) = index.renames.get(&name) {
                    pending.extend(aliases.iter().cloned());
                }
            }
        }
    }

    /// Starts the summary step: the names that select the first round.
    pub fn start_summaries(&mut self, index: &WorkspaceIndex, exhaustive: bool) -> Names {
        let words = index.models.words(&index.models_imported_anywhere);
        let Some(words) = words.filter(|_| !exhaustive) else {
            self.exhaustive = true;
            return Names::everything();
        };
        let mut names = Names::default();
        for word in words {
            match word {
                Word::Exact(name) => Self::add_name(index, &mut names, &name),
                Word::Prefix(prefix) => {
                    names.words.insert(prefix_hash(&prefix));
                }
            }
        }
        // A value of a database type the function does not name comes out
        // of a field (`self.conn`), an alias (`type Db = Arc<Mutex<..>>`), a
        // static, or a crate function that returns one (`db.conn()`). A
        // struct that merely holds such a field somewhere is no word: code
        // reaches the value through the field's name or a method.
        for (path, decl) in &index.structs {
            for (field, ty) in &decl.fields {
                if index.holds_db(&index.ty(ty)) {
                    // `self.0` names no field: the newtype's name must do.
                    let name = if field.starts_with(|c: char| c.is_ascii_digit()) {
                        path.last()
                    } else {
                        Some(field)
                    };
                    if let Some(name) = name {
                        Self::add_name(index, &mut names, name);
                    }
                }
            }
        }
        for (path, target) in &index.aliases {
            if index.holds_db(&index.ty(target)) {
                if let Some(name) = path.last() {
                    Self::add_name(index, &mut names, name);
                }
            }
        }
        // A crate type that derefs to a connection is used as one.
        for path in index.deref_types() {
            if let Some(name) = path.last() {
                Self::add_name(index, &mut names, name);
            }
        }
        for path in &index.statics {
            if let Some(name) = path.last() {
                Self::add_name(index, &mut names, name);
            }
        }
        for decl in index.fns.values() {
            if decl
                .ret
                .as_ref()
                .is_some_and(|ret| index.holds_db(&index.ty(ret)))
            {
                if let Some(name) = callable_name(decl) {
                    Self::add_name(index, &mut names, name);
                }
            }
        }
        names
    }

    /// Adds one round's summaries, solves them together with the earlier
    /// rounds', and returns what selects the next round: the names of the
    /// functions newly found relevant, and the functions they hand a value
    /// that may hold a database value (a callee that keeps a clone of a pool
    /// it is handed matters to the caller, whatever it names; one handed
    /// only strings and numbers cannot). Empty when the step is done.
    pub fn add_summaries(
        &mut self,
        index: &mut WorkspaceIndex,
        mut files: Vec<FileSummaries>,
    ) -> Names {
        files.sort_by_key(|f| f.file);
        let mut analysed = Vec::new();
        for file in files {
            analysed.extend(file.summaries.iter().map(|(key, _)| key.clone()));
            index.summaries.extend(file.summaries);
            index.handlers.extend(file.handlers);
        }
        summary::solve(&mut index.summaries);
        let mut names = Names::default();
        if self.exhaustive {
            return names;
        }
        let mut demanded = Vec::new();
        // A demanded callee passes the demand on along its parameters.
        for key in &analysed {
            if self.demanded.contains(key) {
                if let Some(summary) = index.summaries.get(key) {
                    demanded.extend(summary.forwarded_to().cloned());
                }
            }
        }
        let newly: Vec<PathBuf> = index
            .summaries
            .iter()
            .filter(|(key, s)| s.relevant && !self.exported.contains(*key))
            .map(|(key, _)| key.clone())
            .collect();
        for key in newly {
            let name = match index.fns.get(&key) {
                _ if index.drop_impls.contains(&key) => None,
                Some(decl) => callable_name(decl).cloned(),
                None => key.last().cloned(),
            };
            if let Some(name) = name {
                Self::add_name(index, &mut names, &name);
            }
            if let Some(summary) = index.summaries.get(&key) {
                demanded.extend(summary.handed_to().cloned());
            }
            self.exported.insert(key);
        }
        for callee in demanded {
            let key = index.function(&callee).map_or(callee, |d| d.key.clone());
            if !index.summaries.contains_key(&key) && self.demanded.insert(key.clone()) {
                names.add_key(&key);
            }
        }
        names
    }

    /// Ends the summary step: works out the transaction parameters from
    /// every call. Functions no round analysed have no summary; the rules
    /// read that as "does nothing to its arguments".
    pub fn finish_summaries(&self, index: &mut WorkspaceIndex) {
        let facts = summary::transaction_facts(&index.summaries);
        index.transaction_params = facts.params;
        index.transaction_fields = facts.fields;
        index.churn = crate::facts::churn::churn_sites(index);
    }
}

/// The summaries of one file's functions and the handlers its routers
/// register, as `Send` data.
pub struct FileSummaries {
    /// The file's [`ParsedFile::id`]: two functions with one key (a `cfg`
    /// pair, two bench files at the crate root) resolve in file order, not
    /// in the order threads happen to finish.
    pub(crate) file: usize,
    pub(crate) summaries: Vec<(PathBuf, Summary)>,
    pub(crate) handlers: Vec<PathBuf>,
}
