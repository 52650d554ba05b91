"""Vigil's settings: one typed object read from VIGIL_* environment variables.

Read once, when Django's settings module is imported; tests point VIGIL_DATABASE_URL at a fresh
store rather than overwriting a module.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
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
    alert_weight: float
    keep_weight: float
    static_root: Path
    idle_minutes: float
    login_failures: int
    lockout_minutes: float
    secure_cookies: bool
    map_tiles: str = ""  # a tile URL template for the series map; empty: no tile layer
    link_memory: str = "2GB"  # DuckDB's working memory for a batch link; it spills beyond it

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> VigilSettings:
        env = os.environ if env is None else env
        workdir = Path(env.get("VIGIL_HOME") or Path.cwd())
        pack = env.get("VIGIL_POLICY_PACK")
        model = env.get("VIGIL_LINKAGE_MODEL")
        return cls(
            database_url=env.get("VIGIL_DATABASE_URL") or f"sqlite:///{workdir / 'vigil.sqlite3'}",
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
            alert_weight=_number(env, "VIGIL_ALERT_WEIGHT", 10.0),
            keep_weight=_number(env, "VIGIL_LINK_KEEP_WEIGHT", 0.0),
            static_root=Path(env.get("VIGIL_STATIC_ROOT") or workdir / "static"),
            idle_minutes=_number(env, "VIGIL_IDLE_MINUTES", 30.0),
            login_failures=int(_number(env, "VIGIL_LOGIN_FAILURES", 5)),
            lockout_minutes=_number(env, "VIGIL_LOCKOUT_MINUTES", 15.0),
            secure_cookies=_flag(env, "VIGIL_SECURE_COOKIES", not _flag(env, "VIGIL_DEBUG", False)),
            map_tiles=env.get("VIGIL_MAP_TILES", "").strip(),
            link_memory=_memory(env, "VIGIL_LINK_MEMORY", "2GB"),
        )
