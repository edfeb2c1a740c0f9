"""The municipality's read-only indicator API: the published rows (small counts suppressed),
token authentication only, and its OpenAPI schema. Nothing here reaches a person.

The views bypass the application's session login and second-factor middleware: they are
reached with a token (rest_framework.authtoken), never with a session, so no CSRF either."""

import re

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, permissions, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.settings import api_settings

from catalogue.models import Area, AreaKind, Product
from meerwaarde.accounts.middleware import two_factor_exempt

from . import selectors
from .models import Indicator, ValueStatus
from .periods import parse_period

ALL = "all"


class MayUseApi(permissions.BasePermission):
    """The municipality's service account, and managers / the functioneel beheerder checking
    what it publishes (reporting.use_api)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("reporting.use_api"))


class IndicatorValueSerializer(serializers.Serializer):
    """Exactly the export/API row of `selectors.published_row`; the fields are declared for
    the schema. A suppressed row carries no number (value, numerator, denominator null)."""

    indicator = serializers.CharField(help_text="Indicatorcode, bijvoorbeeld uren_gerealiseerd.")
    period = serializers.CharField(help_text="2025, 2025-H1, 2025-Q2 of 2025-03.")
    product = serializers.CharField(
        allow_null=True, help_text="Productcode (slug); null = alle producten."
    )
    area = serializers.CharField(
        allow_null=True, help_text='Kern, "onbekend" (geen bekende kern) of null = alle kernen.'
    )
    value = serializers.FloatField(allow_null=True, help_text="null als onderdrukt (<5).")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=ValueStatus.values)
    suppressed = serializers.BooleanField(
        help_text="Minder dan 5 personen in een uitsplitsing: geen getallen gepubliceerd."
    )

    def to_representation(self, instance) -> dict:
        return selectors.published_row(instance)


class IndicatorFilterSerializer(serializers.Serializer):
    """The query parameters; a wrong value is a 400 with a Dutch message, never an empty
    answer that looks like "no data"."""

    indicator = serializers.CharField(required=False)
    period = serializers.CharField(required=False)
    product = serializers.CharField(required=False)
    area = serializers.CharField(required=False)
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": gettext_lazy("Het jaar moet een getal zijn, bijvoorbeeld 2025."),
            "min_value": gettext_lazy("Het jaar valt buiten 2000–2100."),
            "max_value": gettext_lazy("Het jaar valt buiten 2000–2100."),
        },
    )

    def validate_indicator(self, code: str) -> str:
        if not Indicator.objects.filter(code=code).exists():
            raise serializers.ValidationError(_("Onbekende indicator %(code)s.") % {"code": code})
        return code

    def validate_period(self, key: str) -> str:
        try:
            return parse_period(key).key
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error

    def validate_product(self, slug: str) -> str:
        if slug != ALL and not Product.objects.filter(slug=slug).exists():
            raise serializers.ValidationError(
                _('Onbekend product %(slug)s. Gebruik een productcode of "all".') % {"slug": slug}
            )
        return slug

    def validate_area(self, name: str) -> str:
        if (
            name not in (ALL, selectors.UNKNOWN_AREA)
            and not Area.objects.filter(kind=AreaKind.KERN, name=name).exists()
        ):
            raise serializers.ValidationError(
                _('Onbekende kern %(name)s. Gebruik de naam van een kern, "onbekend" of "all".')
                % {"name": name}
            )
        return name


FILTER_PARAMETERS = [
    OpenApiParameter(
        "indicator", OpenApiTypes.STR, description="Indicatorcode, bijvoorbeeld uren_gerealiseerd."
    ),
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        description="Periode: jaar (2025), halfjaar (2025-H1), kwartaal (2025-Q2) of maand "
        "(2025-03).",
    ),
    OpenApiParameter(
        "product",
        OpenApiTypes.STR,
        description='Productcode (slug), of "all" voor alleen de totalen over alle producten. '
        "Weggelaten: elke uitsplitsing.",
    ),
    OpenApiParameter(
        "area",
        OpenApiTypes.STR,
        description='Naam van een kern, "onbekend" (registraties zonder bekende kern) of "all" '
        "voor alleen de totalen over alle kernen. Weggelaten: elke uitsplitsing.",
    ),
    OpenApiParameter("year", OpenApiTypes.INT, description="Alleen perioden in dit jaar."),
]


DEFAULT_PAGE_SIZE = api_settings.PAGE_SIZE  # 500
MAX_PAGE_SIZE = 1000
# Far past any table this API will hold, and still a number every database takes.
MAX_OFFSET = 1_000_000_000
_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")


class IndicatorPagination(LimitOffsetPagination):
    """?limit= (1 to 1000, 500 when absent) and ?offset= (from 0). A value that is not a
    whole number in range is a 400 with a Dutch message — never silently the default,
    never a query the database refuses (a 500), never the whole table in one answer."""

    default_limit = DEFAULT_PAGE_SIZE
    max_limit = MAX_PAGE_SIZE

    def _number(self, request, name: str, *, default: int, minimum: int, maximum: int) -> int:
        text = request.query_params.get(name, "").strip()
        if not text:
            return default
        if _WHOLE_NUMBER.fullmatch(text) and minimum <= int(text) <= maximum:
            return int(text)
        raise serializers.ValidationError(
            {
                name: [
                    _("%(name)s moet een geheel getal van %(minimum)s tot en met %(maximum)s zijn.")
                    % {"name": name, "minimum": minimum, "maximum": maximum}
                ]
            }
        )

    def get_limit(self, request) -> int:
        return self._number(
            request,
            self.limit_query_param,
            default=self.default_limit,
            minimum=1,
            maximum=self.max_limit,
        )

    def get_offset(self, request) -> int:
        return self._number(
            request, self.offset_query_param, default=0, minimum=0, maximum=MAX_OFFSET
        )

    def parameter_errors(self, request) -> dict:
        """Both parameters' messages, to report together with the filters' own."""
        errors = {}
        for parse in (self.get_limit, self.get_offset):
            try:
                parse(request)
            except serializers.ValidationError as error:
                errors.update(error.detail)
        return errors

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"Aantal rijen per pagina: standaard {DEFAULT_PAGE_SIZE}, "
                f"hoogstens {MAX_PAGE_SIZE}. Een andere waarde geeft 400.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": DEFAULT_PAGE_SIZE,
                },
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "Aantal rijen dat wordt overgeslagen (vanaf 0).",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
            },
        ]


@method_decorator([login_not_required, two_factor_exempt], name="dispatch")
class IndicatorValueList(generics.ListAPIView):
    """Indicator values as published: one row per indicator, period and breakdown."""

    serializer_class = IndicatorValueSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [MayUseApi]
    pagination_class = IndicatorPagination

    def get_queryset(self):
        filters = IndicatorFilterSerializer(data=self.request.query_params)
        errors = {} if filters.is_valid() else dict(filters.errors)
        errors.update(self.paginator.parameter_errors(self.request))
        if errors:
            raise serializers.ValidationError(errors)
        return selectors.indicator_values(**filters.validated_data)

    @extend_schema(
        operation_id="indicators_list",
        summary="Indicatorwaarden",
        parameters=FILTER_PARAMETERS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@method_decorator([login_not_required, two_factor_exempt], name="dispatch")
class SchemaView(SpectacularAPIView):
    """The OpenAPI schema is public: it describes the API and holds no data, so the
    municipality's tooling can read it before it has a token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
