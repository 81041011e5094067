"""Django's manifest static files storage, for a site with wagtail-nhsuk-frontend installed.

The package's NHS.UK frontend stylesheet and script end by naming source maps
(``sourceMappingURL``) that it doesn't ship. Django's ``ManifestStaticFilesStorage``, which
``wagtail start``'s production settings use, rewrites those names to hashed ones, and stops
``collectstatic`` at the first map it can't find. This storage is the same, but leaves every
source map name as it is (a map, where one exists, is still collected under its own name).
"""

from django.contrib.staticfiles import storage


def without_source_maps(patterns: tuple) -> tuple:
    return tuple(
        (extension, tuple(rule for rule in rules if "sourceMappingURL" not in str(rule)))
        for extension, rules in patterns
    )


class ManifestStaticFilesStorage(storage.ManifestStaticFilesStorage):
    patterns = without_source_maps(storage.ManifestStaticFilesStorage.patterns)
