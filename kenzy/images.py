"""Images made locally for each site: an abstract hero and a logo mark with the initials,
in the industry's palette, as WebP (Pillow, imported on first use)."""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass

__all__ = ["PALETTES", "SiteImage", "Variant", "generated_hero", "hero", "hero_prompt", "initials", "logo"]

PALETTES: dict[str, tuple[str, str, str]] = {
    "restaurante": ("#7a2410", "#e07a2f", "#fff4e6"),
    "advocacia": ("#1f2a44", "#b08d57", "#f5f1e8"),
    "saude": ("#0b5e59", "#5bb5a2", "#eef8f6"),
    "beleza": ("#6d2852", "#e59ab5", "#fdf0f5"),
    "academia": ("#161616", "#e63946", "#f4f4f4"),
    "petshop": ("#245c43", "#f2b84b", "#fff8e8"),
}
"""Dark, accent and light colour per industry (the theme's CSS uses the same)."""


@dataclass(frozen=True)
class Variant:
    """A resized copy, named like WordPress names its intermediate sizes."""

    size: str
    """WordPress size name (thumbnail, medium_large, large)."""
    filename: str
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class SiteImage:
    """One generated image and its responsive sizes (made here, so WordPress need not resize)."""

    role: str
    filename: str
    data: bytes
    width: int
    height: int
    alt: str
    title: str
    variants: tuple[Variant, ...] = ()


def initials(name: str) -> str:
    """Up to two initials from the significant words of ``name``."""
    stop = {"da", "de", "do", "das", "dos", "e", "the", "of", "and", "&"}
    words = [w for w in name.replace("'", "").split() if w.lower() not in stop and w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]).upper()
    return letters or name[:1].upper()


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _webp(image: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=78, method=2)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _variants(image: object, filename: str, sizes: dict[str, tuple[int, int]]) -> tuple[Variant, ...]:
    """Resized copies for WordPress's sizes: ``(w, h)``; h == w means a square crop (thumbnail)."""
    from PIL import Image

    stem = filename.rsplit(".", 1)[0]
    out = []
    for size, (width, height) in sizes.items():
        resized = image.resize((width, height), Image.BICUBIC)  # type: ignore[attr-defined]
        out.append(Variant(size, f"{stem}-{width}x{height}.webp", _webp(resized), width, height))
    return tuple(out)


def hero(name: str, industry: str, locale: str, *, width: int = 1600, height: int = 900) -> SiteImage:
    """An abstract hero: a diagonal gradient with soft shapes, seeded by the business name."""
    from PIL import Image, ImageDraw, ImageFilter

    dark, accent, light = (_rgb(c) for c in PALETTES.get(industry, PALETTES["restaurante"]))
    rng = random.Random(hashlib.sha256(name.encode()).digest())
    w, h = width // 4, height // 4
    side = 2 * max(w, h)
    mask = Image.linear_gradient("L").resize((side, side)).rotate(rng.choice([30, 45, 60, 120, 135]))
    mask = mask.crop(((side - w) // 2, (side - h) // 2, (side + w) // 2, (side + h) // 2)).resize((w, h))
    mid = tuple(int(dark[i] * 0.55 + accent[i] * 0.45) for i in range(3))
    small = Image.composite(Image.new("RGB", (w, h), mid), Image.new("RGB", (w, h), dark), mask)
    overlay = Image.new("RGBA", small.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(7):
        r = rng.randint(h // 6, h // 2)
        cx, cy = rng.randint(0, w), rng.randint(0, h)
        color = accent if rng.random() < 0.6 else light
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*color, rng.randint(30, 70)))
    overlay = overlay.filter(ImageFilter.GaussianBlur(6))
    small = Image.alpha_composite(small.convert("RGBA"), overlay).convert("RGB")
    image = small.resize((width, height), Image.BICUBIC)
    alt = (f"Arte abstrata nas cores de {name}" if locale == "pt_BR" else f"Abstract artwork in {name}'s colours")
    sizes = {"large": (1024, 1024 * height // width), "medium_large": (768, 768 * height // width)}
    return SiteImage("hero", "kenzy-hero.webp", _webp(image), width, height, alt, f"{name} — hero",
                     _variants(small, "kenzy-hero.webp", sizes))  # the soft artwork scales up cleanly


HERO_PROMPTS = {
    "restaurante": "a warm, inviting restaurant dining room with a table of Brazilian dishes",
    "advocacia": "a calm, modern law office with books and a meeting table, soft daylight",
    "saude": "a bright, clean, welcoming health clinic reception",
    "beleza": "a stylish beauty salon interior with mirrors and soft light",
    "academia": "a modern gym with training equipment, energetic light",
    "petshop": "a friendly pet shop with happy dogs and cats being groomed",
}


def hero_prompt(name: str, industry: str, city: str | None) -> str:
    """The prompt sent to an image generator: the scene for the industry, no text in the image."""
    where = f" in {city}, Brazil" if city else " in Brazil"
    scene = HERO_PROMPTS.get(industry, "a welcoming small business")
    return f"Wide website hero photo: {scene}{where}. No text, no logos, no people's faces in close-up."


async def generated_hero(
    name: str, industry: str, locale: str, city: str | None, *, model: str, base_url: str, api_key: str | None,
    width: int = 1600, height: int = 900,
) -> SiteImage:
    """A hero from an image generator speaking OpenAI's images API, made into WebP sizes.

    Raises:
        ProviderError: the generator answered with an error or something that is not an image.
    """
    import base64

    import httpx
    from PIL import Image, UnidentifiedImageError

    from kenzy.errors import ProviderError

    provider, _, model_name = model.partition(":")
    if provider != "openai" or not model_name:
        from kenzy.errors import UsageError

        raise UsageError(f"KENZY_IMAGE_MODEL={model!r}: use 'openai:<model>' (OpenAI's images API or a server speaking it)")
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    body = {"model": model_name, "prompt": hero_prompt(name, industry, city), "n": 1, "size": "1536x1024",
            "response_format": "b64_json"}
    try:
        async with httpx.AsyncClient(timeout=120, trust_env=False) as client:
            response = await client.post(f"{base_url.rstrip('/')}/images/generations", json=body, headers=headers)
    except httpx.HTTPError as exc:
        raise ProviderError("images", None, f"cannot reach {base_url}: {type(exc).__name__}") from None
    if response.status_code != 200:
        raise ProviderError("images", response.status_code, response.text[:300])
    try:
        raw = base64.b64decode(response.json()["data"][0]["b64_json"])
        picture = Image.open(io.BytesIO(raw)).convert("RGB")
    except (KeyError, IndexError, ValueError, UnidentifiedImageError) as exc:
        raise ProviderError("images", 200, f"the answer held no image ({type(exc).__name__})") from None
    # Cover-crop to the hero's 16:9 frame.
    scale = max(width / picture.width, height / picture.height)
    resized = picture.resize((round(picture.width * scale), round(picture.height * scale)), Image.LANCZOS)
    left, top = (resized.width - width) // 2, (resized.height - height) // 2
    image = resized.crop((left, top, left + width, top + height))
    alt = (f"Foto ilustrativa de {name}" if locale == "pt_BR" else f"Illustrative photo for {name}")
    sizes = {"large": (1024, 1024 * height // width), "medium_large": (768, 768 * height // width)}
    return SiteImage("hero", "kenzy-hero.webp", _webp(image), width, height, alt, f"{name} — hero",
                     _variants(image, "kenzy-hero.webp", sizes))


def logo(name: str, industry: str, locale: str, *, size: int = 512) -> SiteImage:
    """A round logo mark with the business's initials."""
    from PIL import Image, ImageDraw, ImageFont

    dark, accent, light = (_rgb(c) for c in PALETTES.get(industry, PALETTES["restaurante"]))
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill=dark)
    draw.ellipse((size * 0.06, size * 0.06, size * 0.94, size * 0.94), outline=accent, width=max(4, size // 40))
    text = initials(name)
    font = ImageFont.load_default(size=int(size * (0.42 if len(text) > 1 else 0.5)))
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2 - box[1]), text,
              font=font, fill=light)
    alt = f"Logotipo de {name}" if locale == "pt_BR" else f"{name} logo"
    return SiteImage("logo", "kenzy-logo.webp", _webp(image), size, size, alt, f"{name} — logo",
                     _variants(image, "kenzy-logo.webp", {"thumbnail": (150, 150)}))
