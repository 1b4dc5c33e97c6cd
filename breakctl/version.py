"""The installed version, read from the package metadata when asked (importlib.metadata is
too slow to import on every start, so nothing imports this module at start-up)."""


def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("breakctl")
    except PackageNotFoundError:
        return "(not installed)"
