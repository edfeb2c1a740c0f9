"""The published shape of an indicator value, as the Reporting issue names it: the JSON of
`export_indicators` and the API, and the columns of the CSV/XLSX export, in this order.
Spelled out here, not imported from the code, so that a change of the interface fails."""

INDICATOR_FIELDS = [
    "indicator",
    "period",
    "product",
    "area",
    "value",
    "numerator",
    "denominator",
    "status",
    "suppressed",
]
