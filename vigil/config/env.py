"""Vigil's settings: one typed object read from VIGIL_* environment variables.

Read once, when Django's settings module is imported; tests point VIGIL_DATABASE_URL at a fresh
store rather than overwriting a module.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingsError(Exception):
    pass


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}: '{raw}' is not a yes/no value (use 1 or 0)")


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name}: '{raw}' is not a number") from None


def _memory(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or default).strip()
    if not re.fullmatch(r"[1-9][0-9]*(\.[0-9]+)?\s*[MGT]B", raw, flags=re.IGNORECASE):
        raise SettingsError(
            f"{name}: '{raw}' is not an amount of memory (write it as 2GB or 512MB)"
        )
    return raw.upper().replace(" ", "")


def _secret(env: Mapping[str, str], workdir: Path) -> str:
    if env.get("VIGIL_SECRET_KEY"):
        return env["VIGIL_SECRET_KEY"]
    if env.get("VIGIL_SECRET_KEY_FILE"):
        path = Path(env["VIGIL_SECRET_KEY_FILE"])
        try:
            return path.read_text().strip()
        except OSError as exc:
            raise SettingsError(f"VIGIL_SECRET_KEY_FILE: cannot read {path}: {exc}") from None
    # Development and demo: a key kept beside the working directory, made once, owner-only.
    path = workdir / ".vigil-secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _owner_only_file(path: Path, make: Callable[[], str]) -> str:
    """The text of ``path``, made once with ``make()`` and readable by its owner only. Written
    beside and linked into place, so that two processes starting at once agree on one value."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as fh:
            fh.write(make())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


PORTAL_DAILY_LIMIT = 500  # submissions a day, all reporters together
PORTAL_PUBLIC_KEY_FILE = ".vigil-portal-key.pub"  # in VIGIL_HOME, written by `vigil portal keys`
AUDIT_KEY_MIN = 32  # characters: a key made by `secrets.token_hex(32)` has 64


def _kept_key(env: Mapping[str, str], name: str, workdir: Path, what: str) -> bytes:
    """A key kept out of the database: ``name`` (the key itself), else ``name``_FILE (a file
    holding it), else (development and demo) a key made once in VIGIL_HOME, owner-only."""
    if env.get(name):
        key = env[name].strip()
        source = name
    elif env.get(f"{name}_FILE"):
        path = Path(env[f"{name}_FILE"])
        source = f"{name}_FILE"
        try:
            key = path.read_text().strip()
        except OSError as exc:
            raise SettingsError(f"{source}: cannot read {path}: {exc}") from None
    else:
        filename = "." + name.lower().replace("_", "-")
        key = _owner_only_file(workdir / filename, lambda: secrets.token_hex(32))
        source = f"VIGIL_HOME/{filename}"
    if len(key) < AUDIT_KEY_MIN:
        raise SettingsError(
            f"{source}: {what} has {len(key)} characters, fewer than {AUDIT_KEY_MIN} "
            "(make one with: python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    return key.encode()


def _audit_key(env: Mapping[str, str], workdir: Path) -> bytes:
    """The key of the audit chain's HMAC. Kept out of the database, so that someone who can
    write the database cannot recompute the chain after changing a row."""
    return _kept_key(env, "VIGIL_AUDIT_KEY", workdir, "the audit key")


def _portal_public_key(env: Mapping[str, str], workdir: Path) -> str:
    """VIGIL_PORTAL_PUBLIC_KEY, else the one `vigil portal keys` wrote in VIGIL_HOME, else empty
    (the portal then refuses reports, saying it is not set up)."""
    if env.get("VIGIL_PORTAL_PUBLIC_KEY"):
        key = env["VIGIL_PORTAL_PUBLIC_KEY"].strip()
    else:
        path = workdir / PORTAL_PUBLIC_KEY_FILE
        key = path.read_text().strip() if path.exists() else ""
    if key and not key.startswith("age1"):
        raise SettingsError(f"VIGIL_PORTAL_PUBLIC_KEY: '{key[:12]}...' is not an age public key")
    return key


def _portal_pepper(env: Mapping[str, str], workdir: Path) -> bytes:
    """The pepper of the portal's receipt lookups (``vigil.domain.receipts``). Kept out of the
    database, so that a stolen database alone cannot be searched for receipt codes."""
    return _kept_key(env, "VIGIL_PORTAL_PEPPER", workdir, "the portal pepper")


def _checkpoints(env: Mapping[str, str], workdir: Path, database_url: str) -> Path:
    """Where signed checkpoints of the audit chain are appended: VIGIL_AUDIT_CHECKPOINTS, else
    one file per database under VIGIL_HOME/audit-checkpoints/ (named from its URL, without
    any password), so that two stores never share one."""
    if env.get("VIGIL_AUDIT_CHECKPOINTS"):
        return Path(env["VIGIL_AUDIT_CHECKPOINTS"])
    without_password = re.sub(r"://([^:/@]+):[^@]*@", r"://\1@", database_url)
    name = re.sub(r"[^A-Za-z0-9.]+", "-", without_password.split("://", 1)[-1]).strip("-.")
    return workdir / "audit-checkpoints" / f"{name[-120:] or 'store'}.log"


def _proxy_header(env: Mapping[str, str]) -> tuple[str, str] | None:
    """VIGIL_PROXY_SSL_HEADER, 'X-Forwarded-Proto: https', as Django's SECURE_PROXY_SSL_HEADER
    ('HTTP_X_FORWARDED_PROTO', 'https'); None when unset."""
    raw = env.get("VIGIL_PROXY_SSL_HEADER", "").strip()
    if not raw:
        return None
    name, colon, value = raw.partition(":")
    if not colon or not re.fullmatch(r"[A-Za-z0-9-]+", name.strip()) or not value.strip():
        raise SettingsError(
            f"VIGIL_PROXY_SSL_HEADER: '{raw}' is not a header and its value "
            "(write it as X-Forwarded-Proto: https)"
        )
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip()


CLUSTER_DEFAULTS: dict[str, float] = {
    "VIGIL_CLUSTER_ALPHA": 0.01,
    "VIGIL_CLUSTER_REPLICATES": 99,
    "VIGIL_CLUSTER_MAX_KM": 1.0,
    "VIGIL_CLUSTER_MAX_DAYS": 365,
}


def _cluster(env: Mapping[str, str], name: str) -> float:
    value = _number(env, name, CLUSTER_DEFAULTS[name])
    if value <= 0 or (name == "VIGIL_CLUSTER_ALPHA" and value >= 1):
        raise SettingsError(f"{name}: '{value:g}' is out of range")
    return value


CUSUM_THRESHOLD = 5.0
"""The rate alerts' signal threshold h (VIGIL_CUSUM_THRESHOLD): a Poisson CUSUM for a doubled
rate reaches 5 by chance about once in 65-150 years for a group expected to have 5 down to 0.5
deaths a month, and for a group at twice its rate within about 3-24 months on average
(simulated with ``vigil.oversight.cusum.run_length``)."""


def _cusum_threshold(env: Mapping[str, str]) -> float:
    value = _number(env, "VIGIL_CUSUM_THRESHOLD", CUSUM_THRESHOLD)
    if not 0 < value < 1000:
        raise SettingsError(f"VIGIL_CUSUM_THRESHOLD: '{value:g}' is out of range (above 0)")
    return value


ATTACHMENT_MAX_MB = 20.0
# False pair alerts per 100 cases the alert threshold is calibrated for: half of the one per
# 100 deaths the analysts can answer, the other half left to the cluster check (alpha 0.01)
# and to the difference between the background calibrated on and the cases as they come.
FALSE_ALERTS_PER_100 = 0.5


def _attachment_max(env: Mapping[str, str]) -> int:
    """VIGIL_ATTACHMENT_MAX_MB (20 by default) as bytes."""
    value = _number(env, "VIGIL_ATTACHMENT_MAX_MB", ATTACHMENT_MAX_MB)
    if value <= 0:
        raise SettingsError(f"VIGIL_ATTACHMENT_MAX_MB: '{value:g}' is out of range")
    return int(value * 1024 * 1024)


@dataclass(frozen=True)
class VigilSettings:
    database_url: str
    secret_key: str
    debug: bool
    allowed_hosts: tuple[str, ...]
    time_zone: str
    phone_region: str
    policy_pack: Path | None
    linkage_model: Path | None
    alert_weight: float | None  # None: the linkage model's calibrated threshold
    keep_weight: float | None  # None: the linkage model's calibrated keep threshold
    static_root: Path
    idle_minutes: float
    login_failures: int
    lockout_minutes: float
    secure_cookies: bool
    audit_key: bytes  # the audit chain's HMAC key, never stored in the database
    audit_checkpoints: Path  # where signed checkpoints of the chain's head are appended
    map_tiles: str = ""  # the series map: tile URL or GeoJSON file (config.mapsource); none
    link_memory: str = "2GB"  # DuckDB's working memory for a batch link; it spills beyond it
    # Cluster detection (vigil.services.linkage.clusters): significance, Monte Carlo replicates, the
    # largest circle (km) and the longest window (days) a cluster may have.
    cluster_alpha: float = CLUSTER_DEFAULTS["VIGIL_CLUSTER_ALPHA"]
    cluster_replicates: int = int(CLUSTER_DEFAULTS["VIGIL_CLUSTER_REPLICATES"])
    cluster_max_km: float = CLUSTER_DEFAULTS["VIGIL_CLUSTER_MAX_KM"]
    cluster_max_days: int = int(CLUSTER_DEFAULTS["VIGIL_CLUSTER_MAX_DAYS"])
    # Rate alerts (vigil.services.linkage.rates): the CUSUM's signal threshold h.
    cusum_threshold: float = CUSUM_THRESHOLD
    hsts_seconds: int = 0  # Strict-Transport-Security max-age, sent on requests over TLS
    proxy_ssl_header: tuple[str, str] | None = None  # a TLS-terminating proxy's header
    false_alerts_per_100: float = FALSE_ALERTS_PER_100  # what calibration sets the threshold for
    # Attachments (vigil.services.casework.attachments): the directory their files are kept in,
    # outside the database, and the largest file accepted.
    attachments_dir: Path = Path("attachments")
    attachment_max_bytes: int = int(ATTACHMENT_MAX_MB * 1024 * 1024)
    # The public portal (vigil.portal): the safeguarding team's public key (an age recipient,
    # "age1..."; empty until `vigil portal keys` has made one), the file holding the team's
    # private key protected by the team's passphrase (never readable without it), the pepper of
    # receipt lookups, and how many submissions the portal accepts in a day, all reporters
    # together (a limit that needs no IP address).
    portal_public_key: str = ""
    portal_identity_file: Path = Path(".vigil-portal-identity")
    portal_public_key_file: Path = Path(PORTAL_PUBLIC_KEY_FILE)  # `vigil portal keys` writes it
    portal_pepper: bytes = b""
    portal_daily_limit: int = PORTAL_DAILY_LIMIT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> VigilSettings:
        env = os.environ if env is None else env
        workdir = Path(env.get("VIGIL_HOME") or Path.cwd())
        pack = env.get("VIGIL_POLICY_PACK")
        model = env.get("VIGIL_LINKAGE_MODEL")
        database_url = env.get("VIGIL_DATABASE_URL") or f"sqlite:///{workdir / 'vigil.sqlite3'}"
        return cls(
            database_url=database_url,
            secret_key=_secret(env, workdir),
            debug=_flag(env, "VIGIL_DEBUG", False),
            allowed_hosts=tuple(
                h.strip()
                for h in env.get("VIGIL_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
                if h.strip()
            ),
            time_zone=env.get("VIGIL_TIME_ZONE", "Europe/London"),
            phone_region=env.get("VIGIL_PHONE_REGION", "GB"),
            policy_pack=Path(pack) if pack else None,
            linkage_model=Path(model) if model else None,
            alert_weight=(
                _number(env, "VIGIL_ALERT_WEIGHT", 0.0) if env.get("VIGIL_ALERT_WEIGHT") else None
            ),
            keep_weight=(
                _number(env, "VIGIL_LINK_KEEP_WEIGHT", 0.0)
                if env.get("VIGIL_LINK_KEEP_WEIGHT")
                else None
            ),
            static_root=Path(env.get("VIGIL_STATIC_ROOT") or workdir / "static"),
            idle_minutes=_number(env, "VIGIL_IDLE_MINUTES", 30.0),
            login_failures=int(_number(env, "VIGIL_LOGIN_FAILURES", 5)),
            lockout_minutes=_number(env, "VIGIL_LOCKOUT_MINUTES", 15.0),
            secure_cookies=_flag(env, "VIGIL_SECURE_COOKIES", not _flag(env, "VIGIL_DEBUG", False)),
            map_tiles=env.get("VIGIL_MAP_TILES", "").strip(),
            link_memory=_memory(env, "VIGIL_LINK_MEMORY", "2GB"),
            cluster_alpha=_cluster(env, "VIGIL_CLUSTER_ALPHA"),
            cluster_replicates=int(_cluster(env, "VIGIL_CLUSTER_REPLICATES")),
            cluster_max_km=_cluster(env, "VIGIL_CLUSTER_MAX_KM"),
            cluster_max_days=int(_cluster(env, "VIGIL_CLUSTER_MAX_DAYS")),
            cusum_threshold=_cusum_threshold(env),
            hsts_seconds=int(
                _number(
                    env, "VIGIL_HSTS_SECONDS", 0 if _flag(env, "VIGIL_DEBUG", False) else 31536000
                )
            ),
            proxy_ssl_header=_proxy_header(env),
            false_alerts_per_100=_number(env, "VIGIL_FALSE_ALERTS_PER_100", FALSE_ALERTS_PER_100),
            attachments_dir=Path(env.get("VIGIL_ATTACHMENTS_DIR") or workdir / "attachments"),
            attachment_max_bytes=_attachment_max(env),
            audit_key=_audit_key(env, workdir),
            portal_public_key=_portal_public_key(env, workdir),
            portal_identity_file=Path(
                env.get("VIGIL_PORTAL_IDENTITY_FILE") or workdir / ".vigil-portal-identity"
            ),
            portal_public_key_file=workdir / PORTAL_PUBLIC_KEY_FILE,
            portal_pepper=_portal_pepper(env, workdir),
            portal_daily_limit=int(_number(env, "VIGIL_PORTAL_DAILY_LIMIT", PORTAL_DAILY_LIMIT)),
            audit_checkpoints=_checkpoints(env, workdir, database_url),
        )
