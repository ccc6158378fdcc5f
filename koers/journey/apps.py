from django.apps import AppConfig


class JourneyConfig(AppConfig):
    """The care path as a metro map (issue #17): the person's journey drawn from the data.

    The apps that hold the events register a provider in ``koers.journey.registry`` from their own
    ``AppConfig.ready()``; this app imports none of them.
    """

    name = "koers.journey"
