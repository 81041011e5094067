from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """The current query string with one page number replaced.

    All events pages its upcoming and past lists separately; paging one keeps the other's place.
    """
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
