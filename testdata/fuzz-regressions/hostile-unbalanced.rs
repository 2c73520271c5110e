fn f() { let tx = conn.transaction()?; loop { tx.commit( }
