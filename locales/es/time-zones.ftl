# Las zonas horarias que una familia elige en los datos del caso (src/domain/time_zones.rs).

tz-america-los-angeles = Hora del Pacífico (EE. UU. y Canadá)
tz-america-denver = Hora de la Montaña (EE. UU. y Canadá)
tz-america-phoenix = Arizona
tz-america-chicago = Hora del Centro (EE. UU. y Canadá)
tz-america-new-york = Hora del Este (EE. UU. y Canadá)
tz-america-anchorage = Alaska
tz-pacific-honolulu = Hawái
tz-america-puerto-rico = Hora del Atlántico (Puerto Rico)
tz-america-tijuana = Baja California (México)
tz-america-mexico-city = Ciudad de México, Guadalajara, Monterrey
tz-america-guatemala = Centroamérica
tz-america-bogota = Bogotá, Lima, Quito
tz-america-santiago = Santiago
tz-america-sao-paulo = São Paulo
tz-america-argentina-buenos-aires = Buenos Aires
tz-europe-london = Londres, Dublín, Lisboa
tz-europe-madrid = Madrid, París, Berlín, Roma
tz-asia-dubai = Dubái
tz-asia-kolkata = India
tz-asia-manila = Manila, Singapur
tz-asia-tokyo = Tokio, Seúl
tz-australia-sydney = Sídney, Melbourne
