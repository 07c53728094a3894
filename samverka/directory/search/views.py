# SPDX-License-Identifier: AGPL-3.0-or-later
from urllib.parse import quote_plus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from samverka.core.choices import labels
from samverka.directory.models import CapabilityKind, Country, Sector, Theme
from samverka.directory.search.forms import SearchForm
from samverka.directory.search.query import CAP, Results, search
from samverka.directory.search.vocabulary import shown_words

FACET_LABELS = {
    "sector": Sector,
    "theme": Theme,
    "capability": CapabilityKind,
    "country": Country,
}


def _facet_links(request: HttpRequest, results: Results) -> list[dict[str, object]]:
    """Each facet value with its count and the URL that adds it as a filter."""
    groups = []
    for name, choices in FACET_LABELS.items():
        names = labels(choices)
        current = request.GET.get(name, "")
        # The query without this facet and the page, encoded once per facet.
        rest = request.GET.copy()
        rest.pop("page", None)
        rest.pop(name, None)
        prefix = "?" + (rest.urlencode() + "&" if rest else "") + name + "="
        items = []
        for value, count in results.facets.get(name, []):
            selected = value == current
            items.append(
                {
                    "label": names.get(value, value),
                    "count": count,
                    "url": prefix + ("" if selected else quote_plus(value)),
                    "selected": selected,
                }
            )
        if items:
            groups.append({"name": name, "items": items})
    return groups


# A few broad themes to browse when a search finds nothing.
BROWSE_THEMES = (
    Theme.EDUCATION,
    Theme.JOBS,
    Theme.INTEGRATION,
    Theme.CHILDREN_YOUTH,
    Theme.CULTURE_LEISURE,
    Theme.HEALTH,
)


def _active_filters(request: HttpRequest, form: SearchForm) -> list[dict[str, str]]:
    """Each filter in use with its label, its value's label and the URL of the
    same search without it, so an empty result can be widened in one click."""
    if not form.is_valid():
        return []
    data = form.cleaned_data
    active = []
    for name in (*FACET_LABELS, "place"):
        value = data.get(name)
        if not value:
            continue
        shown = value.name if name == "place" else labels(FACET_LABELS[name]).get(value, value)
        rest = request.GET.copy()
        rest.pop("page", None)
        rest.pop(name, None)
        active.append(
            {
                "filter": str(form.fields[name].label),
                "value": shown,
                "url": "?" + rest.urlencode(),
            }
        )
    return active


def _theme_links() -> list[dict[str, str]]:
    names = labels(Theme)
    return [{"label": names[theme], "url": "?theme=" + theme} for theme in BROWSE_THEMES]


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    results = Results("", [], 0, False, 1, 1, searched=False)
    if form.is_valid():
        data = form.cleaned_data
        results = search(
            data["q"],
            filters=form.filters(),
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "selects": [] if request.htmx else form.selects(),
        "results": results,
        "cap": CAP,
        "facets": _facet_links(request, results),
        "active_filters": _active_filters(request, form),
        "browse_themes": _theme_links() if results.searched and not results.hits else [],
        "query": query.urlencode(),
        "related_words": shown_words(results.related, get_language() or ""),
        "related_more": len({phrase for _language, phrase in results.related}) > 10,
        "related_themes": [labels(Theme)[theme] for theme in results.themes],
        "sectors": labels(Sector),
        "partial": bool(request.htmx),
        # One reverse() for the page instead of one per hit.
        "base_url": reverse("directory:organisations"),
    }
    template = "directory/search_results.html" if request.htmx else "directory/search.html"
    return render(request, template, context)
