"""Every write of the cases app, one module per area (intake, case flow, hours, …).

Services take keyword-only arguments, validate (raising ValidationError with Dutch
messages, nothing saved), write inside a transaction, and leave an audit trail."""
