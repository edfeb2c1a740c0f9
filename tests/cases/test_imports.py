"""The bulk hour import: `manage.py import_hours` and the service behind it."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connections
from django.utils import timezone

from cases.choices import HourKind
from cases.models import ClosedPeriod, HourRegistration, ImportBatch
from cases.services.imports import HourImportRefused, import_hours_file
from cases.services.imports import reading as import_reading
from cases.services.imports import rows as import_rows
from catalogue.models import Area, AreaKind
from meerwaarde.accounts.models import Role
from meerwaarde.dates import registration_date_window
from tests.outbox import changes_recorded, month

WINDOW_MESSAGE = registration_date_window().message

HEADER = "datum;medewerker;product;uren;client;kern;soort"


@pytest.fixture
def day():
    return timezone.localdate() - datetime.timedelta(days=3)


@pytest.fixture
def workers(make_user, catalogue):
    return {
        "jjansen": make_user(role=Role.SOCIAL_WORKER, username="jjansen"),
        "pdevries": make_user(role=Role.COORDINATOR, username="pdevries"),
    }


@pytest.fixture
def write_csv(tmp_path):
    def write(lines, *, name="uren.csv", bom=False, encoding="utf-8"):
        path = tmp_path / name
        text = "\n".join(lines) + "\n"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
        return path

    return write


def run_command(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_hours", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_command(path, *args) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_hours", str(path), *args, stdout=StringIO(), stderr=err)
    return info.value, err.getvalue()


def row_errors(path) -> list[str]:
    with pytest.raises(HourImportRefused) as info:
        import_hours_file(path=path)
    return [str(error) for error in info.value.row_errors]


# --- good files ----------------------------------------------------------------------


@pytest.mark.django_db
def test_semicolon_file_with_bom_and_dutch_notation_is_imported(workers, write_csv, day):
    path = write_csv(
        [
            " Datum ; MEDEWERKER;Product;Uren ;Client;Kern;Soort",
            f"{day:%d-%m-%Y};jjansen;menes;1,5;K-1042;hoofddorp;Coördinatie",
            f"{day:%d-%m-%Y};pdevries;buurt-en-groepsbemiddeling;0,75;;;",
        ],
        bom=True,
    )
    out, err = run_command(path)

    assert out.strip() == "Geïmporteerd: 2 regels, 2,25 uur."
    assert err == ""
    first, second = HourRegistration.objects.order_by("id")
    assert (first.worker, first.date, first.hours) == (workers["jjansen"], day, Decimal("1.50"))
    assert first.product.slug == "menes"
    assert first.client_reference == "K-1042"
    assert first.kern == Area.objects.get(kind=AreaKind.KERN, name="Hoofddorp")
    assert first.kind == HourKind.COORDINATION
    assert second.kind == HourKind.DIRECT and second.kern is None
    batch = ImportBatch.objects.get()
    assert batch.file_name == "uren.csv" and batch.row_count == 2
    assert batch.imported_by is None
    assert {first.import_batch, second.import_batch} == {batch}


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["\\N", "K\\12", "a\\tb"])
def test_client_references_are_stored_exactly_as_typed(workers, write_csv, day, reference):
    """The rows reach PostgreSQL as COPY text: a backslash in the file is data, never an
    escape (\\N would otherwise become an empty reference)."""
    path = write_csv([HEADER, f"{day:%d-%m-%Y};jjansen;menes;1;{reference};;"])
    run_command(path)
    assert HourRegistration.objects.get().client_reference == reference


@pytest.mark.django_db
def test_comma_file_without_bom_with_iso_dates_point_decimals_and_product_names(
    workers, write_csv, day
):
    path = write_csv(
        [
            "datum,medewerker,product,uren,soort",
            f'{day:%Y-%m-%d},jjansen,MENES,"1,25",groepswerk',
            f"{day:%Y-%m-%d},pdevries,Buurt- en groepsbemiddeling,2.5,reistijd",
        ]
    )
    out, _ = run_command(path)

    assert out.strip() == "Geïmporteerd: 2 regels, 3,75 uur."
    rows = HourRegistration.objects.order_by("id")
    assert [(r.hours, r.kind, r.product.slug) for r in rows] == [
        (Decimal("1.25"), HourKind.GROUP, "menes"),
        (Decimal("2.50"), HourKind.TRAVEL, "buurt-en-groepsbemiddeling"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("delimiter", "bom", "date_format", "hours"),
    [
        (";", True, "%d-%m-%Y", "1,5"),
        (";", False, "%Y-%m-%d", "1.5"),
        (",", True, "%Y-%m-%d", "1.5"),
        (",", False, "%d-%m-%Y", '"1,5"'),
    ],
)
def test_every_combination_of_delimiter_bom_date_format_and_decimal_mark(
    workers, write_csv, day, delimiter, bom, date_format, hours
):
    path = write_csv(
        [
            delimiter.join(["datum", "medewerker", "product", "uren"]),
            delimiter.join([day.strftime(date_format), "jjansen", "menes", hours]),
        ],
        bom=bom,
    )
    result = import_hours_file(path=path)
    assert result.row_count == 1 and result.total_hours == Decimal("1.5")
    assert HourRegistration.objects.get().date == day


@pytest.mark.django_db
def test_door_records_who_imported(workers, write_csv, day, make_user):
    admin = make_user(
        role=Role.FUNCTIONAL_ADMIN, username="beheer", first_name="Bea", last_name="Heer"
    )
    path = write_csv([HEADER, f"{day:%d-%m-%Y};jjansen;menes;1;;;"])
    run_command(path, "--door", "beheer")
    assert ImportBatch.objects.get().imported_by == admin
    assert HourRegistration.objects.get().created_by == admin


@pytest.mark.django_db
def test_unknown_door_user_is_refused(workers, write_csv, day):
    path = write_csv([HEADER, f"{day:%d-%m-%Y};jjansen;menes;1;;;"])
    error, _ = refused_command(path, "--door", "niemand")
    assert "niemand" in str(error)
    assert not HourRegistration.objects.exists()


@pytest.mark.django_db
def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file(workers, write_csv, day):
    path = write_csv(
        [HEADER, "", f"{day:%d-%m-%Y};jjansen;menes;1;;;", ";;;;;;", f"{day:%d-%m-%Y};x;menes;1;;;"]
    )
    assert row_errors(path) == ["Regel 5: Onbekende medewerker 'x' (gebruik de gebruikersnaam)."]


@pytest.mark.django_db
def test_a_successful_import_records_its_months_once_and_names_its_rows_in_the_history(
    workers, write_csv, day, catalogue, kicks, django_capture_on_commit_callbacks
):
    previous_day = day - datetime.timedelta(days=1)
    path = write_csv(
        [
            HEADER,
            f"{day:%d-%m-%Y};jjansen;menes;1;;;",
            f"{previous_day:%d-%m-%Y};jjansen;stacks;1;;;",
            f"{day:%d-%m-%Y};pdevries;menes;1;;;",
        ]
    )
    with changes_recorded() as changes, django_capture_on_commit_callbacks(execute=True):
        result = import_hours_file(path=path)
    months = sorted({month(day), month(previous_day)})
    assert changes == [("cases.HourRegistration", m) for m in months]
    assert kicks == [1]
    # One history entry for the batch, naming exactly the rows it wrote.
    ids = sorted(
        HourRegistration.objects.filter(import_batch=result.batch).values_list("pk", flat=True)
    )
    assert len(ids) == 3
    entry = LogEntry.objects.get_for_object(result.batch).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes["row_count"] == ["None", "3"]
    assert entry.changes["hour_registrations"] == ["None", f"{ids[0]}–{ids[-1]}"]
    assert not LogEntry.objects.get_for_objects(HourRegistration.objects.all()).exists()


@pytest.mark.django_db
def test_rows_are_streamed_in_batches_without_a_query_per_row(
    workers, write_csv, day, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(import_rows, "BATCH_SIZE", 50)
    lines = [HEADER]
    for n in range(400):
        worker = "jjansen" if n % 2 else "pdevries"
        date = day - datetime.timedelta(days=n // 2)
        lines.append(f"{date:%d-%m-%Y};{worker};menes;0,25;;;")
    path = write_csv(lines)
    progress = []
    # Reference data once, one day-total query per batch in each pass, inserts per batch.
    with django_assert_max_num_queries(50):
        result = import_hours_file(path=path, on_progress=lambda n, total: progress.append(n))
    assert result.row_count == 400 and result.total_hours == Decimal("100")
    assert HourRegistration.objects.count() == 400
    assert progress == [0, 50, 100, 150, 200, 250, 300, 350, 400, 400, 400]


# --- bad rows: every reason, with the line number, nothing saved ------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{d};onbekend;menes;1;;;", "Onbekende medewerker 'onbekend' (gebruik de gebruikersnaam)."),
        ("{d};oud;menes;1;;;", "Medewerker 'oud' is niet meer actief."),
        (";jjansen;menes;1;;;", "De datum ontbreekt."),
        ("31-02-2025;jjansen;menes;1;;;", "'31-02-2025' is geen geldige datum"),
        ("14/03/2025;jjansen;menes;1;;;", "gebruik DD-MM-JJJJ of JJJJ-MM-DD."),
        ("{future};jjansen;menes;1;;;", WINDOW_MESSAGE),
        ("{d};jjansen;bestaat-niet;1;;;", "Onbekend product 'bestaat-niet'"),
        ("{d};jjansen;stacks;1;;;", "Het product 'Stacks' wordt niet meer aangeboden."),
        ("{d};jjansen;;1;;;", "Het product ontbreekt."),
        ("{d};jjansen;menes;;;;", "Vul het aantal uren in."),
        ("{d};jjansen;menes;0;;;", "Het aantal uren moet meer dan 0 zijn."),
        ("{d};jjansen;menes;-1;;;", "Het aantal uren moet meer dan 0 zijn."),
        ("{d};jjansen;menes;1,3;;;", "Registreer uren in kwartieren"),
        ("{d};jjansen;menes;anderhalf;;;", "Vul een aantal uren in, bijvoorbeeld 1,5 of 0,25."),
        ("{d};jjansen;menes;25;;;", "Meer dan 24 uur op één dag kan niet"),
        ("{d};jjansen;menes;1;;Atlantis;", "Onbekende kern 'Atlantis'."),
        ("{d};jjansen;menes;1;;;vergaderen", "Onbekende soort 'vergaderen'"),
        ("{d};jjansen;menes;1;" + "K" * 51 + ";;", "langer dan 50 tekens"),
        ("{d};jjansen;menes;1;;;;extra", "Deze regel heeft 8 kolommen, de kopregel 7"),
    ],
)
def test_each_invalid_row_is_reported_with_its_line_number_and_reason(
    workers, write_csv, day, make_user, catalogue, row, message
):
    make_user(username="oud", is_active=False)
    catalogue["stacks"].is_active = False
    catalogue["stacks"].save()
    future = timezone.localdate() + datetime.timedelta(days=1)
    path = write_csv(
        [
            HEADER,
            f"{day:%d-%m-%Y};jjansen;menes;1;;;",
            row.format(d=f"{day:%d-%m-%Y}", future=f"{future:%d-%m-%Y}"),
        ]
    )
    errors = row_errors(path)
    assert len(errors) == 1
    assert errors[0].startswith("Regel 3: ")
    assert message in errors[0]
    assert not HourRegistration.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_all_bad_rows_of_a_file_are_reported_and_the_command_exits_with_1(workers, write_csv, day):
    d = f"{day:%d-%m-%Y}"
    path = write_csv(
        [
            HEADER,
            f"{d};jjansen;menes;1;;;",
            f"{d};niemand;menes;1;;;",
            f"{d};jjansen;menes;1;;;",
            f"{d};jjansen;onbekend;0;;;",
            "99-99-2025;jjansen;menes;1,1;;Atlantis;",
        ]
    )
    error, err = refused_command(path)

    assert error.returncode == 1
    assert str(error) == ("Niet geïmporteerd: 3 regels bevatten fouten; er is niets opgeslagen.")
    lines = err.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["Regel 3", "Regel 5", "Regel 6"]
    assert "Onbekend product 'onbekend'" in lines[1]
    assert "Het aantal uren moet meer dan 0 zijn." in lines[1]
    assert "'99-99-2025' is geen geldige datum" in lines[2]
    assert "Registreer uren in kwartieren" in lines[2]
    assert "Onbekende kern 'Atlantis'." in lines[2]
    assert not HourRegistration.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_real_command_line_exits_with_code_1_and_prints_errors_to_stderr(
    workers, write_csv, day, capsys, monkeypatch
):
    # run_from_argv closes the database connections when done; the test still needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write_csv([HEADER, f"{day:%d-%m-%Y};niemand;menes;1;;;"])
    with pytest.raises(SystemExit) as info:
        execute_from_command_line(["manage.py", "import_hours", str(path)])
    assert info.value.code == 1
    captured = capsys.readouterr()
    assert "Regel 2: Onbekende medewerker 'niemand'" in captured.err
    assert "er is niets opgeslagen" in captured.err
    assert not HourRegistration.objects.exists()


@pytest.mark.django_db
def test_missing_columns_are_named(workers, write_csv, day):
    path = write_csv(["Datum;Medewerker;Aantal", f"{day:%d-%m-%Y};jjansen;1"])
    error, err = refused_command(path)
    assert error.returncode == 1
    assert "Regel 1: De verplichte kolom 'product' ontbreekt in de kopregel." in err
    assert "Regel 1: De verplichte kolom 'uren' ontbreekt in de kopregel." in err
    assert "'datum'" not in err and "'medewerker'" not in err


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Het bestand is leeg."),
        (HEADER.encode() + b"\n", "alleen een kopregel"),
        (b"\n" + HEADER.encode() + b"\n", "De eerste regel is leeg"),
    ],
)
def test_empty_files_are_refused(workers, tmp_path, content, message):
    path = tmp_path / "leeg.csv"
    path.write_bytes(content)
    error, _ = refused_command(path)
    assert message in str(error)
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_lines_that_are_not_utf8_are_reported_with_their_line_number(workers, write_csv, day):
    path = write_csv(
        [HEADER, f"{day:%d-%m-%Y};jjansen;menes;1;Cliënt;;", f"{day:%d-%m-%Y};jjansen;menes;1;;;"],
        encoding="latin-1",
    )
    assert row_errors(path) == [
        "Regel 2: Deze regel is geen geldige UTF-8-tekst; sla het bestand op als 'CSV UTF-8'."
    ]


# --- dry run, duplicates ---------------------------------------------------------------


@pytest.mark.django_db
def test_dry_run_checks_and_saves_nothing(workers, write_csv, day):
    path = write_csv(
        [HEADER, f"{day:%d-%m-%Y};jjansen;menes;1,5;;;", f"{day:%d-%m-%Y};jjansen;menes;0,75;;;"]
    )
    out, _ = run_command(path, "--dry-run")
    assert out.strip() == "Controle geslaagd: 2 regels, 2,25 uur; er is niets opgeslagen."
    assert not HourRegistration.objects.exists()
    assert not ImportBatch.objects.exists()
    # Still importable afterwards: a dry run leaves no trace.
    out, _ = run_command(path)
    assert HourRegistration.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_reports_errors_and_exits_with_1(workers, write_csv, day):
    path = write_csv([HEADER, f"{day:%d-%m-%Y};jjansen;menes;1,1;;;"])
    error, err = refused_command(path, "--dry-run")
    assert error.returncode == 1
    assert err.startswith("Regel 2: Registreer uren in kwartieren")


@pytest.mark.django_db
def test_the_same_file_twice_is_refused_saying_when_and_by_whom(
    workers, write_csv, day, make_user, tmp_path
):
    make_user(role=Role.FUNCTIONAL_ADMIN, username="beheer", first_name="Bea", last_name="Heer")
    path = write_csv([HEADER, f"{day:%d-%m-%Y};jjansen;menes;1;;;"])
    run_command(path, "--door", "beheer")
    copy = tmp_path / "kopie.csv"
    copy.write_bytes(path.read_bytes())

    error, _ = refused_command(copy)
    imported_at = timezone.localtime(ImportBatch.objects.get().imported_at)
    assert error.returncode == 1
    assert str(error) == (
        f"Dit bestand is al geïmporteerd op {imported_at:%d-%m-%Y} om {imported_at:%H:%M} "
        "door Bea Heer (als 'uren.csv', 1 regel); het wordt niet nog eens ingelezen."
    )
    assert HourRegistration.objects.count() == 1
    # A dry run of that file says so too.
    error, _ = refused_command(copy, "--dry-run")
    assert "al geïmporteerd" in str(error)


# --- the 24-hour rule and closed periods -----------------------------------------------


@pytest.mark.django_db
def test_more_than_24_hours_a_day_across_rows_of_the_file_is_refused(workers, write_csv, day):
    d = f"{day:%d-%m-%Y}"
    path = write_csv(
        [
            HEADER,
            f"{d};jjansen;menes;20;;;",
            f"{d};pdevries;menes;20;;;",  # another medewerker: own day
            f"{d};jjansen;stacks;4;;;",  # exactly 24: fine
            f"{(day - datetime.timedelta(days=1)):%d-%m-%Y};jjansen;menes;8;;;",
            f"{day:%Y-%m-%d};jjansen;menes;0,25;;;",  # same day, other notation
        ]
    )
    assert row_errors(path) == [
        f"Regel 6: Meer dan 24 uur op één dag kan niet: op {d} staat al 24 uur; met 0,25 uur "
        "erbij wordt het 24,25 uur."
    ]
    assert not HourRegistration.objects.exists()


@pytest.mark.django_db
def test_the_24_hour_rule_counts_hours_already_registered(workers, write_csv, day, catalogue):
    HourRegistration.objects.create(
        worker=workers["jjansen"],
        date=day,
        hours=Decimal("20"),
        product=catalogue["menes"],
        kind=HourKind.DIRECT,
    )
    d = f"{day:%d-%m-%Y}"
    path = write_csv([HEADER, f"{d};jjansen;menes;4;;;", f"{d};jjansen;menes;0,5;;;"])
    assert row_errors(path) == [
        f"Regel 3: Meer dan 24 uur op één dag kan niet: op {d} staat al 24 uur; met 0,5 uur "
        "erbij wordt het 24,5 uur."
    ]
    assert HourRegistration.objects.count() == 1


@pytest.mark.django_db
def test_the_24_hour_rule_holds_across_batches(workers, write_csv, day, monkeypatch):
    monkeypatch.setattr(import_rows, "BATCH_SIZE", 2)
    d = f"{day:%d-%m-%Y}"
    path = write_csv([HEADER] + [f"{d};jjansen;menes;5;;;"] * 5)
    errors = row_errors(path)
    assert [error.split(":")[0] for error in errors] == ["Regel 6"]
    assert "staat al 20 uur; met 5 uur erbij wordt het 25 uur." in errors[0]


@pytest.mark.django_db
def test_hours_in_a_closed_period_are_refused(workers, write_csv, day, settings):
    # A closed period of 2025 inside the window, whatever today is.
    settings.EARLIEST_REGISTRATION_DATE = datetime.date(2025, 1, 1)
    ClosedPeriod.objects.create(
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 3, 31),
        closed_by=workers["pdevries"],
    )
    path = write_csv(
        [HEADER, f"{day:%d-%m-%Y};jjansen;menes;1;;;", "2025-02-14;jjansen;menes;1;;;"]
    )
    assert row_errors(path) == [
        "Regel 3: De periode 01-01-2025 t/m 31-03-2025 is afgesloten voor de rapportage; "
        "registraties daarin kunnen niet meer worden toegevoegd, gewijzigd of verwijderd."
    ]
    assert not HourRegistration.objects.exists()


@pytest.mark.django_db
def test_batches_written_before_a_bad_row_are_rolled_back(
    workers, write_csv, day, catalogue, monkeypatch
):
    """One pass writes each good batch as it goes; a bad row later on undoes them all."""
    monkeypatch.setattr(import_rows, "BATCH_SIZE", 1)
    HourRegistration.objects.create(
        worker=workers["jjansen"], date=day, hours=Decimal("20"), product=catalogue["menes"],
        kind=HourKind.DIRECT,
    )  # fmt: skip
    path = write_csv(
        [
            HEADER,
            f"{day:%d-%m-%Y};pdevries;menes;1;;;",
            f"{day:%d-%m-%Y};pdevries;stacks;2;;;",
            f"{day:%d-%m-%Y};jjansen;menes;10;;;",  # 20 registered before + 10 = 30 hours
            f"{day:%d-%m-%Y};pdevries;menes;1;;;",
        ]
    )
    errors = row_errors(path)
    assert len(errors) == 1 and "Regel 4" in errors[0] and "wordt het 30 uur" in errors[0]
    assert not ImportBatch.objects.exists()
    assert not HourRegistration.objects.filter(import_batch__isnull=False).exists()
    assert HourRegistration.objects.count() == 1


@pytest.mark.django_db
def test_progress_ends_at_the_real_number_of_rows(workers, write_csv, day):
    path = write_csv([HEADER, f"{day:%d-%m-%Y};jjansen;menes;1;;;", "", "", ""])
    progress = []
    import_hours_file(path=path, on_progress=lambda n, total: progress.append((n, total)))
    assert progress[0] == (0, 4)  # estimated from the line count
    assert progress[-1] == (1, 1)


@pytest.mark.django_db
def test_binary_and_overlong_lines_are_reported_and_the_rest_is_still_checked(
    workers, tmp_path, day, monkeypatch
):
    monkeypatch.setattr(import_reading, "MAX_LINE_BYTES", 60)
    good = f"{day:%d-%m-%Y};jjansen;menes;1;;;\n".encode()
    path = tmp_path / "kapot.csv"
    path.write_bytes(
        HEADER.encode()
        + b"\n"
        + good
        + b"\x00\x01\x02;binair\n"
        + f"{day:%d-%m-%Y};jjansen;menes;1;{'K' * 70};;\n".encode()
        + f"{day:%d-%m-%Y};niemand;menes;1;;;\n".encode()
    )
    assert row_errors(path) == [
        "Regel 3: Deze regel bevat binaire gegevens; is dit wel een CSV-bestand?",
        "Regel 4: Deze regel is te lang (meer dan 60 tekens).",
        "Regel 5: Onbekende medewerker 'niemand' (gebruik de gebruikersnaam).",
    ]
