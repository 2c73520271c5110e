// Nothing: the package only lists what cargo fetches.
