"""The URL fetcher of the PDF renderer serves our static files and data: URIs and nothing else: no other
scheme, no path out of the static folders (encoded or through a symlink)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance_wizard.report.fetcher import PSEUDO_ORIGIN, FetchRefused, ReportFetcher, static_prefix

# -- the URL fetcher itself ------------------------------------------------------------------------------


class TestOnlyOurStaticFilesAndDataUris:
    @pytest.fixture
    def fetcher(self):
        return ReportFetcher()

    @pytest.fixture
    def planted(self, settings, tmp_path):
        """A static folder with symlinks someone planted: to /etc/passwd, to settings.py, to /etc, and one inside."""
        folder = tmp_path / "static"
        (folder / "css").mkdir(parents=True)
        (folder / "css" / "own.css").write_text("p { color: black }")
        (folder / "passwd.css").symlink_to("/etc/passwd")
        (folder / "settings.css").symlink_to(Path(settings.BASE_DIR) / "compliance_wizard" / "settings.py")
        (folder / "etc").symlink_to("/etc")
        (folder / "alias.css").symlink_to(folder / "css" / "own.css")
        settings.STATICFILES_DIRS = [folder, *settings.STATICFILES_DIRS]
        return folder

    def read(self, fetcher, url: str) -> bytes:
        response = fetcher.fetch(url)
        try:
            return response.read()
        finally:
            response.close()

    def test_serves_our_static_files_and_data_uris(self, fetcher):
        assert self.read(fetcher, static_prefix() + "fonts/DejaVuSans.ttf").startswith(b"\x00\x01\x00\x00")
        assert b"@page" in self.read(fetcher, static_prefix() + "report/report.css")
        assert self.read(fetcher, "data:text/plain;base64,SGVsbG8=") == b"Hello"
        assert self.read(fetcher, "data:,plain%20text") == b"plain text"

    @pytest.mark.parametrize(
        "url",
        [
            "file:///etc/passwd",
            "FILE:///etc/passwd",
            "file://localhost/etc/passwd",
            "http://127.0.0.1:1/",
            "https://127.0.0.1:1/static/report/report.css",
            "http://report.invalid/static/report/report.css",
            "ftp://127.0.0.1/etc/passwd",
            "gopher://127.0.0.1:1/",
            "//127.0.0.1/static/report/report.css",
            PSEUDO_ORIGIN + "static/../../compliance_wizard/settings.py",
            PSEUDO_ORIGIN + "static/report/../../../compliance_wizard/settings.py",
            PSEUDO_ORIGIN + "static/%2e%2e/%2e%2e/compliance_wizard/settings.py",
            PSEUDO_ORIGIN + "static/%2E%2E/%2E%2E/etc/passwd",
            PSEUDO_ORIGIN + "static/report%2f..%2f..%2fcompliance_wizard%2fsettings.py",
            PSEUDO_ORIGIN + "static/report%5c..%5c..%5cmanage.py",
            PSEUDO_ORIGIN + "static/%252e%252e/%252e%252e/etc/passwd",
            PSEUDO_ORIGIN + "static/report/report.css%00.png",
            PSEUDO_ORIGIN + "static/.%2e/manage.py",
            PSEUDO_ORIGIN + "manage.py",
        ],
    )
    def test_refuses_every_other_url(self, fetcher, url):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)

    @pytest.mark.parametrize("name", ["passwd.css", "settings.css", "etc/passwd", "etc/hostname"])
    def test_refuses_symlinks_that_lead_out_of_the_static_folder(self, fetcher, planted, name):
        with pytest.raises(FetchRefused):
            fetcher.fetch(static_prefix() + name)

    def test_a_symlink_within_the_static_folder_is_served(self, fetcher, planted):
        assert self.read(fetcher, static_prefix() + "alias.css") == b"p { color: black }"
