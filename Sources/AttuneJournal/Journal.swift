/// The journal store.
public enum AttuneJournal {}
