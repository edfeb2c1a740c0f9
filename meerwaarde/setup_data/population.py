"""How Haarlemmermeer's residents spread over its kernen, for demo and benchmark data:
shares roughly by population (DOMAIN.md), weights rather than percentages."""

KERN_WEIGHTS = {
    "Hoofddorp": 45,
    "Nieuw-Vennep": 20,
    "Badhoevedorp": 8,
    "Zwanenburg": 5,
    "Rijsenhout": 3,
    "Lisserbroek": 3,
    "Vijfhuizen": 3,
    "Cruquius": 2,
    "Zwaanshoek": 2,
    "Halfweg": 2,
    "Abbenes": 1,
    "Beinsdorp": 1,
    "Burgerveen": 1,
    "Lijnden": 1,
    "Oude Meer": 1,
    "Buitenkaag": 0.5,
    "Spaarndam": 0.5,
    "Weteringbrug": 0.5,
}
