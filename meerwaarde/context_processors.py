from django.conf import settings

from .navigation import nav_items_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items = nav_items_for(user) if user is not None and user.is_authenticated else []
    return {"nav_items": items, "demo_mode": settings.DEMO_MODE}
