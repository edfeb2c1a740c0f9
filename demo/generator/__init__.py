"""Benchmark data (`manage.py generate_data`): a year of MeerWaarde at `--scale N` (1 ≈ one
real year), built fast.

Scale 1: 12,000 clients with 15,000 cases, 250,000 staff hour registrations, 1,500
volunteers with 2,000 matches and 50,000 volunteer hours, 40,000 PlusPunt contacts, group
activities with weekly sessions; scale 10 is ten times every one of those (teams, products
and kernen stay the same, so a team's lists grow tenfold). Spread as DOMAIN.md suggests:
residents by kern roughly by population, 20.8 % under 18 and 17.4 % 65+, 14 % mantelzorgers of
whom 14 % overbelast, fewer registrations in the summer holidays and in December.

Rows are written with PostgreSQL COPY (ids assigned here, sequences moved on afterwards), so
scale 10 takes a few minutes. Deterministic: the same seed and scale give the same rows.
Needs PostgreSQL (DATABASE_URL) and an empty registration database: run `migrate` first;
reference data is loaded here. The benchmark accounts (password BENCH_PASSWORD) are
`bench_sociaalwerker`, `bench_coordinator`, `bench_manager` and `bench_beheerder`.
Not for production databases: it refuses when clients exist.
"""
