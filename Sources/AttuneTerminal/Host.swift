/// The terminal host.
public enum AttuneTerminal {}
