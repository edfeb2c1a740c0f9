"""The fixed lists of the case registration, in the words the users use."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "vrouw", _("Vrouw")
    MAN = "man", _("Man")
    OTHER = "anders", _("Anders")


class ReferralSource(models.TextChoices):
    OWN_INITIATIVE = "eigen_initiatief", _("Eigen initiatief")
    NETWORK = "netwerk", _("Netwerk (familie, buren)")
    GP = "huisarts", _("Huisarts / POH / fysiotherapeut (welzijn op recept)")
    DISTRICT_NURSE = "wijkverpleging", _("Wijkverpleegkundige / thuiszorg")
    CJG = "cjg", _("CJG / jeugdverpleegkundige")
    SCHOOL = "school", _("School / schoolcoach / leerplicht / RMC")
    HOUSING = "woningcorporatie", _("Woningcorporatie / huismeester")
    POLICE = "politie", _("Politie / wijkagent")
    MUNICIPALITY = "gemeente", _("Gemeente (Wmo, werk en inkomen, schuldhulpverlening)")
    MEER_TEAM = "meer_team", _("Meer-team")
    REFUGEE_WORK = "vluchtelingenwerk", _("Vluchtelingenwerk")
    GGD = "ggd", _("GGD")
    VOLUNTEER_ORG = "vrijwilligersorganisatie", _("Vrijwilligersorganisatie")
    PLUSPUNT = "pluspunt", _("PlusPunt / spreekuur")
    OTHER = "anders", _("Anders")


class LifeDomain(models.TextChoices):
    """The 13 domains of the Zelfredzaamheid-Matrix, also used to say what a question touches."""

    FINANCES = "financien", _("Financiën")
    WORK_EDUCATION = "werk_opleiding", _("Werk en opleiding")
    DAYTIME = "tijdsbesteding", _("Tijdsbesteding")
    HOUSING = "huisvesting", _("Huisvesting")
    DOMESTIC = "huiselijke_relaties", _("Huiselijke relaties")
    MENTAL_HEALTH = "geestelijke_gezondheid", _("Geestelijke gezondheid")
    PHYSICAL_HEALTH = "lichamelijke_gezondheid", _("Lichamelijke gezondheid")
    SUBSTANCE_USE = "middelengebruik", _("Middelengebruik")
    BASIC_ADL = "basale_adl", _("Basale ADL")
    INSTRUMENTAL_ADL = "instrumentele_adl", _("Instrumentele ADL")
    SOCIAL_NETWORK = "sociaal_netwerk", _("Sociaal netwerk")
    PARTICIPATION = "maatschappelijke_participatie", _("Maatschappelijke participatie")
    JUSTICE = "justitie", _("Justitie")


class PositiveHealthDimension(models.TextChoices):
    BODY = "lichaamsfuncties", _("Lichaamsfuncties")
    MENTAL = "mentaal_welbevinden", _("Mentaal welbevinden")
    MEANING = "zingeving", _("Zingeving")
    QUALITY_OF_LIFE = "kwaliteit_van_leven", _("Kwaliteit van leven")
    PARTICIPATION = "meedoen", _("Meedoen")
    DAILY_FUNCTIONING = "dagelijks_functioneren", _("Dagelijks functioneren")


class Instrument(models.TextChoices):
    ZRM = "zrm", _("Zelfredzaamheid-Matrix (ZRM)")
    POSITIVE_HEALTH = "positieve_gezondheid", _("Positieve Gezondheid")


# Instrument → (score range, domain choices, current version)
INSTRUMENTS = {
    Instrument.ZRM: {"min": 1, "max": 5, "domains": LifeDomain, "version": "ZRM 2017"},
    Instrument.POSITIVE_HEALTH: {
        "min": 0,
        "max": 10,
        "domains": PositiveHealthDimension,
        "version": "Positieve Gezondheid volwassenen 2.0",
    },
}


def domain_label(instrument: str, domain: str) -> str:
    """The Dutch name of a ZRM domain or Positieve Gezondheid dimension (stored by key)."""
    spec = INSTRUMENTS.get(instrument)
    if spec is not None and domain in spec["domains"].values:
        return str(spec["domains"](domain).label)
    return domain


class ScoreMoment(models.TextChoices):
    BEFORE = "voor", _("Begin (0-meting)")
    AFTER = "na", _("Einde")


class ConsentPurpose(models.TextChoices):
    REGISTRATION = "registratie", _("Registratie van gegevens")
    SHARE_WITH_REFERRER = "delen_verwijzer", _("Terugkoppeling aan de verwijzer")
    SHARE_WITH_PARTNERS = "delen_netwerkpartners", _("Delen met netwerkpartners")


# The consent texts the worker reads out; a new wording gets a new version.
CONSENT_TEXT_VERSION = "2026-1"


class CaseStatus(models.TextChoices):
    REGISTERED = "aangemeld", _("Aangemeld")
    INTAKE = "intake", _("Intake")
    ACTIVE = "actief", _("Actief")
    WAITING_LIST = "wachtlijst", _("Wachtlijst")
    REFERRED = "doorverwezen", _("Doorverwezen")
    CLOSED = "afgesloten", _("Afgesloten")
    CANCELLED = "geannuleerd", _("Geannuleerd")


OPEN_STATUSES = (
    CaseStatus.REGISTERED,
    CaseStatus.INTAKE,
    CaseStatus.ACTIVE,
    CaseStatus.WAITING_LIST,
)
FINAL_STATUSES = (CaseStatus.REFERRED, CaseStatus.CLOSED, CaseStatus.CANCELLED)

ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.REGISTERED: (
        CaseStatus.INTAKE,
        CaseStatus.WAITING_LIST,
        CaseStatus.REFERRED,
        CaseStatus.CANCELLED,
    ),
    CaseStatus.INTAKE: (
        CaseStatus.ACTIVE,
        CaseStatus.WAITING_LIST,
        CaseStatus.REFERRED,
        CaseStatus.CANCELLED,
    ),
    CaseStatus.WAITING_LIST: (
        CaseStatus.INTAKE,
        CaseStatus.ACTIVE,
        CaseStatus.REFERRED,
        CaseStatus.CANCELLED,
    ),
    CaseStatus.ACTIVE: (CaseStatus.WAITING_LIST, CaseStatus.REFERRED, CaseStatus.CLOSED),
    CaseStatus.REFERRED: (),
    CaseStatus.CLOSED: (),
    CaseStatus.CANCELLED: (),
}


class GoalReached(models.TextChoices):
    YES = "ja", _("Ja")
    PARTLY = "deels", _("Deels")
    NO = "nee", _("Nee")


class Partner(models.TextChoices):
    """Partners residents are referred on to (doorverwijzen / toeleiden)."""

    MEER_TEAM = "meer_team", _("Meer-team")
    MUNICIPALITY_WMO = "gemeente_wmo", _("Gemeente – Wmo-loket")
    DEBT_COUNSELLING = "schuldhulpverlening", _("Schuldhulpverlening")
    WORK_INCOME = "werk_inkomen", _("Gemeente – Werk en inkomen")
    GP = "huisarts", _("Huisarts / POH")
    GGZ = "ggz", _("GGZ")
    CJG = "cjg", _("CJG")
    YOUTH_CARE = "jeugdhulp", _("Jeugdhulp")
    ADDICTION_CARE = "verslavingszorg", _("Verslavingszorg")
    HOUSING = "woningcorporatie", _("Woningcorporatie")
    REFUGEE_WORK = "vluchtelingenwerk", _("Vluchtelingenwerk")
    LEGAL_AID = "juridisch_loket", _("Juridisch Loket / sociaal raadslieden")
    VOLUNTEER_ORG = "vrijwilligersorganisatie", _("Vrijwilligersorganisatie")
    OTHER = "anders", _("Anders")


class ContactKind(models.TextChoices):
    CONVERSATION = "gesprek", _("Gesprek")
    HOME_VISIT = "huisbezoek", _("Huisbezoek")
    PHONE = "telefonisch", _("Telefonisch")
    EMAIL = "email", _("E-mail / bericht")
    CONSULTATION = "overleg", _("Overleg met netwerk of partner")
    NOTE = "notitie", _("Notitie")


class HourKind(models.TextChoices):
    DIRECT = "direct", _("Direct cliëntcontact")
    COORDINATION = "coordinatie", _("Coördinatie")
    GROUP = "groepswerk", _("Groepswerk")
    TRAINING = "training", _("Training / intervisie")
    TRAVEL = "reistijd", _("Reistijd")


class ContactTopic(models.TextChoices):
    INFORMATION = "informatie", _("Informatie en advies")
    FORMS = "formulieren", _("Formulieren en post")
    MONEY = "geldzaken", _("Geldzaken")
    LONELINESS = "eenzaamheid", _("Eenzaamheid en contact")
    HOUSING = "wonen", _("Wonen en buren")
    CARE = "zorg", _("Zorg en gezondheid")
    VOLUNTEERING = "vrijwilligerswerk", _("Vrijwilligerswerk")
    ACTIVITIES = "activiteiten", _("Activiteiten in de wijk")
    OTHER = "anders", _("Anders")


class FollowUpKind(models.TextChoices):
    MEDIATION_AFTERCARE = "nazorg_bemiddeling", _("Nazorg buurtbemiddeling: beide partijen bellen")
    EVALUATION = "evaluatie", _("Evaluatie")
    OTHER = "anders", _("Anders")


class MediationStep(models.TextChoices):
    """Buurtbemiddeling, as seed 001 describes it."""

    INTAKE = "aanname", _("Aanname melding en informatie-uitwisseling")
    ASSESSMENT = "beoordeling", _("Beoordeling melding")
    MEDIATORS_ASSIGNED = "bemiddelaars", _("Bemiddelaars ingeschakeld")
    TALK_PARTY_1 = "gesprek_partij_1", _("Gesprek met partij 1")
    TALK_PARTY_2 = "gesprek_partij_2", _("Gesprek met partij 2")
    JOINT_TALK = "gezamenlijk_gesprek", _("Gezamenlijk bemiddelingsgesprek")
    AFTERCARE = "nazorg", _("Nazorg (na ongeveer 6 weken)")
