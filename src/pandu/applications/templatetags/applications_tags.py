"""``{% my_applications citizen %}``: a citizen's applications, for the account page."""

from django import template

from pandu.applications.models import Application

register = template.Library()


@register.inclusion_tag("applications/_my_list.html")
def my_applications(citizen):
    return {
        "applications": Application.objects.filter(citizen=citizen).select_related("service")
        if citizen
        else []
    }
