"""Training types and screening rules named in the catalogue (seed 001): idempotent."""

from django.db import transaction

from catalogue.models import Product

from .models import ScreeningRule, TrainingType

TRAININGS = {
    "Home-Start training": None,
    "Bemiddelaarstraining": None,
    "MatchMentor training (4 delen)": None,
    "Taalvrijwilliger": None,
    "Training thuisadministratie": None,
    "Gastvrouw/-heer PlusPunt": None,
}

# product slug → (VOG required, required trainings)
RULES = {
    "home-start-en-home-start-plus": (True, ["Home-Start training"]),
    "buurt-en-groepsbemiddeling": (True, ["Bemiddelaarstraining"]),
    "matchmentor": (True, ["MatchMentor training (4 delen)"]),
    "thuisadministratie": (True, []),
    "formulierenbrigade": (True, []),
    "maatjesprojecten": (True, []),
    "preventieve-huisbezoeken": (True, []),
    "vangnetcontact": (True, []),
    "spreekuur-in-de-wijk": (False, ["Gastvrouw/-heer PlusPunt"]),
}


@transaction.atomic
def load_screening_reference() -> tuple[int, int]:
    """Creates missing training types and screening rules; existing ones keep their edits."""
    trainings = {}
    created_trainings = 0
    for name, months in TRAININGS.items():
        trainings[name], created = TrainingType.objects.get_or_create(
            name=name, defaults={"valid_for_months": months}
        )
        created_trainings += created
    created_rules = 0
    for slug, (vog, names) in RULES.items():
        product = Product.objects.filter(slug=slug).first()
        if product is None:
            continue
        rule, created = ScreeningRule.objects.get_or_create(
            product=product, defaults={"vog_required": vog}
        )
        if created:
            rule.required_trainings.set([trainings[n] for n in names])
            created_rules += 1
    return created_trainings, created_rules
