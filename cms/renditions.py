"""Which images a page shows, so their renditions can be made when it is published."""

from __future__ import annotations

from collections.abc import Iterator

from wagtail.images.models import AbstractImage


def images_of(page) -> Iterator[AbstractImage]:
    seen: set[int] = set()
    main = getattr(page, "image", None)
    if isinstance(main, AbstractImage):
        seen.add(main.pk)
        yield main
    body = getattr(page, "body", None)
    for block in body or []:
        if block.block_type == "image":
            image = block.value.get("image")
            if isinstance(image, AbstractImage) and image.pk not in seen:
                seen.add(image.pk)
                yield image
