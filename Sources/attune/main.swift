import AttuneTerminal

// Before anything else, and before any thread exists: block the signals a session reads
// from its signalfd, so every later thread inherits the mask.
Signals.blockAtStart()
Attune.main()
