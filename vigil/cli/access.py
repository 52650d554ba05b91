"""`vigil user ...` and `vigil case restrict|unrestrict|name|unname`: accounts, authenticators,
roles, and who may see a restricted case."""

from __future__ import annotations

import typer

from vigil import services
from vigil.cli.common import AS_USER, actor, console, refused
from vigil.domain.enums import UserRole


def print_authenticator(username: str, authenticator: services.Authenticator) -> None:
    console.print(f"Authenticator for {username} (add it to an authenticator app):")
    console.print(f"  secret: {authenticator.secret}")
    console.print(f"  URI:    {authenticator.uri}", soft_wrap=True)


def user_totp(username: str, as_user: str | None = AS_USER) -> None:
    """Enrol a new TOTP authenticator for a user (replacing theirs); prints its otpauth:// URI."""
    with refused():
        authenticator = services.enrol_totp(actor(as_user), username)
    print_authenticator(username, authenticator)


def user_role(
    username: str, role: UserRole = typer.Option(..., "--role"), as_user: str | None = AS_USER
) -> None:
    """Give a user another role (it counts from their next request)."""
    with refused():
        services.set_role(actor(as_user), username, role)
    console.print(f"{username} is now a {role.value}.")


def user_deactivate(username: str, as_user: str | None = AS_USER) -> None:
    """Deactivate an account: signed out at the next request, cannot sign in."""
    with refused():
        services.set_active(actor(as_user), username, False)
    console.print(f"Deactivated {username}.")


def user_reactivate(username: str, as_user: str | None = AS_USER) -> None:
    """Reactivate a deactivated account."""
    with refused():
        services.set_active(actor(as_user), username, True)
    console.print(f"Reactivated {username}.")


def case_restrict(
    reference: str,
    names: list[str] = typer.Option([], "--name", help="A user to name on the case."),
    as_user: str | None = AS_USER,
) -> None:
    """Restrict a case to the users named on it (you, --name users, and those named before)."""
    with refused():
        named = services.restrict_case(actor(as_user), reference, names)
    console.print(f"{reference} is restricted to: {', '.join(named)}.")


def case_unrestrict(reference: str, as_user: str | None = AS_USER) -> None:
    """Lift a case's restriction: every user may see it again."""
    with refused():
        services.unrestrict_case(actor(as_user), reference)
    console.print(f"{reference} is no longer restricted.")


def case_name(reference: str, username: str, as_user: str | None = AS_USER) -> None:
    """Name a user on a case (on a restricted case: let them see it)."""
    with refused():
        services.name_on_case(actor(as_user), reference, username)
    console.print(f"{username} is named on {reference}.")


def case_unname(reference: str, username: str, as_user: str | None = AS_USER) -> None:
    """Remove a user from a case (on a restricted case they no longer see it)."""
    with refused():
        services.unname_from_case(actor(as_user), reference, username)
    console.print(f"{username} is no longer named on {reference}.")
