# The time zones a family chooses from on the case's details (src/domain/time_zones.rs).

tz-america-los-angeles = Pacific Time (US and Canada)
tz-america-denver = Mountain Time (US and Canada)
tz-america-phoenix = Arizona
tz-america-chicago = Central Time (US and Canada)
tz-america-new-york = Eastern Time (US and Canada)
tz-america-anchorage = Alaska
tz-pacific-honolulu = Hawaii
tz-america-puerto-rico = Atlantic Time (Puerto Rico)
tz-america-tijuana = Baja California (Mexico)
tz-america-mexico-city = Mexico City, Guadalajara, Monterrey
tz-america-guatemala = Central America
tz-america-bogota = Bogotá, Lima, Quito
tz-america-santiago = Santiago
tz-america-sao-paulo = São Paulo
tz-america-argentina-buenos-aires = Buenos Aires
tz-europe-london = London, Dublin, Lisbon
tz-europe-madrid = Madrid, Paris, Berlin, Rome
tz-asia-dubai = Dubai
tz-asia-kolkata = India
tz-asia-manila = Manila, Singapore
tz-asia-tokyo = Tokyo, Seoul
tz-australia-sydney = Sydney, Melbourne
