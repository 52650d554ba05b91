"""A batch link that needs more memory than VIGIL_LINK_MEMORY is refused, naming the setting,
and changes nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.conf import settings
from django.test import override_settings

from tests.conftest import make_user, two_similar_deaths
from vigil.audit.models import AuditEntry
from vigil.config.env import SettingsError, VigilSettings
from vigil.domain import UserRole
from vigil.records import models as m
from vigil.services.errors import Invalid
from vigil.services.linkage.batchlink import link_store


def test_the_memory_setting_is_read_and_checked(tmp_path):
    env = {"VIGIL_HOME": str(tmp_path)}
    assert VigilSettings.from_env(env).link_memory == "2GB"
    assert VigilSettings.from_env({**env, "VIGIL_LINK_MEMORY": "512 mb"}).link_memory == "512MB"
    for bad in ("lots", "0GB", "2", "-1GB"):
        with pytest.raises(SettingsError, match=r"VIGIL_LINK_MEMORY: .* not an amount of memory"):
            VigilSettings.from_env({**env, "VIGIL_LINK_MEMORY": bad})


def test_a_batch_that_needs_more_memory_is_refused_and_changes_nothing(officer):
    two_similar_deaths(officer)
    admin = make_user("admin1", UserRole.ADMINISTRATOR)
    links = list(m.CaseLink.objects.values_list("pk", "match_weight", "scored_at"))
    assert links  # linked online when the second death was recorded
    with (
        override_settings(VIGIL=replace(settings.VIGIL, link_memory="1MB")),
        pytest.raises(Invalid) as refused,
    ):
        link_store(admin)
    assert refused.value.field == "VIGIL_LINK_MEMORY"
    assert "more than 1MB of working memory was needed" in refused.value.reason
    assert "nothing was changed" in refused.value.reason
    assert list(m.CaseLink.objects.values_list("pk", "match_weight", "scored_at")) == links
    assert not AuditEntry.objects.filter(event="cases.linked").exists()
    with override_settings(VIGIL=replace(settings.VIGIL, link_memory="512MB")):
        report = link_store(admin)
    assert report.links == len(links)
    assert AuditEntry.objects.filter(event="cases.linked").count() == 1
