"""The theme: one place (the config's `theme`) for the colours, fonts and logo of the HTML,
the PDF and the e-mail; and what the templates say when an override is wrong."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from brief_fixture import harbour_config, harbour_extraction
from pypdf import PdfReader

from briefing.assemble import assemble
from briefing.config import load_config
from briefing.errors import ConfigError, RenderError
from briefing.models import Brief, Theme
from briefing.pipeline import template_search_path
from briefing.render import render
from briefing.render.digest import compose_text, markdown_to_html
from briefing.render.environment import builtin_templates

BUILTIN = builtin_templates()
DEFAULT = Theme()
# An invented house colour, and its PDF operands (r g b in 0..1, as WeasyPrint writes them).
RED = "#b3122e"
RED_RGB = (0.702, 0.071, 0.18)
NAVY_RGB = (0.075, 0.192, 0.361)  # the default accent, #13315c


def _brief(audience: str, theme: Theme) -> Brief:
    config = harbour_config()
    config.theme = theme
    return assemble(harbour_extraction(), config, audience)


def _dirs(audience: str) -> list[Path]:
    return [BUILTIN / audience, BUILTIN]


def _pdf_colours(data: bytes) -> set[tuple[float, float, float]]:
    """Every fill and stroke colour the PDF's page draws with, its graphics included."""
    reader = PdfReader(io.BytesIO(data))
    streams = [reader.pages[0].get_contents().get_data()]
    pending = [reader.pages[0]["/Resources"]]
    while pending:
        resources = pending.pop()
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            streams.append(xobject.get_data())
            if "/Resources" in xobject:
                pending.append(xobject["/Resources"])
    found = set()
    for stream in streams:
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", stream):
            found.add((round(float(r), 3), round(float(g), 3), round(float(b), 3)))
    return found


def test_the_accent_reaches_every_accented_element_of_every_format() -> None:
    brief = _brief("analyst", dataclasses.replace(DEFAULT, accent=RED))
    default = _brief("analyst", DEFAULT)
    outputs = render(brief, ["md", "html", "pdf"], _dirs("analyst"), 8.0)
    html = outputs["html"].decode("utf-8")
    # HTML (and the PDF's source): the custom property, used by every accented rule, and
    # the timeline's dots and years; the default accent is left nowhere.
    assert f"--accent: {RED};" in html
    assert DEFAULT.accent not in html
    assert html.count("var(--accent)") == 10  # every rule that wrote out #13315c
    timeline = html.split('class="timeline-graphic"')[1].split("</svg>")[0]
    dots = len(re.findall(r"<circle ", timeline))
    assert dots >= 2
    assert timeline.count(f'stroke="{RED}"') == dots
    assert timeline.count(f'fill="{RED}"') >= 1  # the years' labels
    default_html = render(default, ["html"], _dirs("analyst"), 8.0)["html"].decode("utf-8")
    assert default_html.replace(DEFAULT.accent, RED) == html
    # PDF: drawn in the new colour, never the old one.
    colours = _pdf_colours(outputs["pdf"])
    assert RED_RGB in colours
    assert NAVY_RGB not in colours
    assert NAVY_RGB in _pdf_colours(render(default, ["pdf"], _dirs("analyst"), 8.0)["pdf"])
    # The e-mail: headings and links in the accent, as inlined styles.
    _, email = compose_text(brief, harbour_extraction(), [], _dirs("analyst"), "2031-03-04")
    assert re.search(rf'<h1 style="[^"]*color: {RED}', email)
    assert re.search(rf'<h2 style="[^"]*color: {RED}', email)
    assert DEFAULT.accent not in email
    assert DEFAULT.accent in markdown_to_html("# T\n\n## S\n", "T", DEFAULT)


def test_fonts_stance_colours_and_logo_come_from_the_theme(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<rect width="40" height="20" fill="#2a7f62"/></svg>',
        encoding="utf-8",
    )
    theme = dataclasses.replace(
        DEFAULT,
        serif='"DejaVu Sans Mono", monospace',
        stance_colours={"supports": "#6a2c91"},
        logo=str(logo),
    )
    brief = _brief("analyst", theme)
    outputs = render(brief, ["html", "pdf"], _dirs("analyst"), 8.0)
    html = outputs["html"].decode("utf-8")
    assert '--serif: "DejaVu Sans Mono", monospace;' in html
    assert "--stance-supports: #6a2c91;" in html
    assert "--stance-condemns: #a4161a;" in html  # not given: the default
    assert re.search(r'<img class="logo" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    reader = PdfReader(io.BytesIO(outputs["pdf"]))
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSansMono" in name.replace("-", "") for name in fonts)
    assert (0.165, 0.498, 0.384) in _pdf_colours(outputs["pdf"])  # the logo's green


def test_theme_values_are_checked_with_their_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "story: {title: Ferry strike}\n"
        "theme:\n"
        '  accent: "red; } body { display: none"\n'
        '  stance_colours: {furious: "#fff"}\n'
        "  logo: missing.png\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    message = str(caught.value)
    assert "theme.accent: must be a colour as #rgb or #rrggbb" in message
    assert f"({config}:3)" in message
    assert "theme.stance_colours.furious: unknown stance" in message
    assert f"theme.logo: {tmp_path / 'missing.png'} does not exist ({config}:5)" in message


def test_theme_logo_is_relative_to_the_config(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "mark.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    config = tmp_path / "config.yaml"
    config.write_text(
        "story: {title: Ferry strike}\ntheme: {logo: assets/mark.png, accent: '#abc'}\n",
        encoding="utf-8",
    )
    theme = load_config(config).theme
    assert theme.logo == str((tmp_path / "assets" / "mark.png").resolve())
    assert theme.accent == "#abc"


def test_template_folders_are_relative_to_the_config_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = tmp_path / "story"
    (story / "templates" / "analyst").mkdir(parents=True)
    (story / "config.yaml").write_text("story: {title: Ferry strike}\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "templates").mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    search = template_search_path(load_config(story / "config.yaml"), "analyst", None)
    assert search[:2] == [
        (story / "templates" / "analyst").resolve(),
        (story / "templates").resolve(),
    ]
    assert (elsewhere / "templates").resolve() not in search


def test_a_block_the_base_does_not_have_is_an_error_naming_the_valid_blocks(
    tmp_path: Path,
) -> None:
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "_base/brief.html.j2" %}\n\n{% block headr %}Desk{% endblock %}\n',
        encoding="utf-8",
    )
    brief = _brief("analyst", DEFAULT)
    with pytest.raises(RenderError) as caught:
        render(brief, ["html"], [tmp_path, BUILTIN], 8.0)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'brief.html.j2'}:3: block 'headr' is not a block")
    assert "valid blocks: " in message
    valid = message.split("valid blocks: ")[1].split(", ")
    assert {"header", "header_extra", "footer", "extra_style", "timeline_graphic"} <= set(valid)
    # A block the base has is fine, and so is a new block inside it.
    (tmp_path / "brief.html.j2").write_text(
        '{% extends "_base/brief.html.j2" %}\n'
        "{% block header_extra %} · {% block desk %}desk{% endblock %}{% endblock %}\n",
        encoding="utf-8",
    )
    html = render(brief, ["html"], [tmp_path, BUILTIN], 8.0)["html"].decode("utf-8")
    assert " · desk</p>" in html


def test_an_undefined_variable_names_the_template_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "brief.md.j2").write_text(
        '{% extends "_base/brief.md.j2" %}\n'
        "{% block header %}\n"
        "# {{ brief.title }}\n"
        "{{ headline }}\n"
        "{% endblock %}\n",
        encoding="utf-8",
    )
    brief = _brief("analyst", DEFAULT)
    with pytest.raises(RenderError) as caught:
        render(brief, ["md"], [tmp_path, BUILTIN], 8.0)
    assert str(caught.value) == f"{tmp_path / 'brief.md.j2'}:4: 'headline' is undefined"


def test_the_default_theme_is_the_shipped_look() -> None:
    # The values the stylesheet had written out before the theme existed.
    assert (DEFAULT.accent, DEFAULT.text, DEFAULT.muted) == ("#13315c", "#1b1f24", "#5b6673")
    assert (DEFAULT.rule, DEFAULT.shade, DEFAULT.tint) == ("#c5ccd6", "#f0f3f8", "#e6ecf4")
