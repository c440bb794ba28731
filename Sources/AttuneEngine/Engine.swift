/// The engine: a deterministic state machine over a checked program.
public enum AttuneEngine {}
