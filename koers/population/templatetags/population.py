"""Show a count of the population view: a suppressed one as "<k", never a number."""

from django import template

from koers.population.report import cell_text, percent_text

register = template.Library()


@register.simple_tag
def count(value, k):
    return cell_text(value, k)


@register.simple_tag
def cell(table, row, column, k):
    """``table[row][column]`` (or ``table[row]`` when ``column`` is None) as ``count`` shows it."""
    value = table[row] if column is None else table[row][column]
    return cell_text(value, k)


@register.simple_tag
def percent(value):
    return percent_text(value)
