"""The picture fields a proposal's and a project's forms share."""
from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import Length, ValidationError

from .processing import MAX_SIDE, MAX_UPLOAD_BYTES, ImageRefused, clean_image
from .services import PictureChange

REASONS = {
    "empty": _("The file is empty. Choose a JPEG, PNG or WebP picture."),
    "too_large": _("The file is larger than %(most)s MB. Choose a smaller picture.",
                   most=MAX_UPLOAD_BYTES // (1024 * 1024)),
    "format": _("This file is not a JPEG, PNG or WebP picture, or it is damaged. Nothing was "
                "saved."),
    "animated": _("Animated pictures are not accepted; choose a still one."),
    "too_many_pixels": _("The picture has too many pixels to handle safely; save it smaller "
                         "(for example %(side)s pixels wide) and try again.", side=MAX_SIDE),
}


class PictureFields:
    """Mixed into a FlaskForm: an optional picture, its description, and a way to remove it.

    The view sets ``current_image`` (the owner's picture, or None) before validating, so the
    description is required whenever a picture will be shown, new or kept."""

    _current_image = None
    cleaned_image = None

    picture = FileField(_("Picture (optional)"),
                        render_kw={"accept": "image/jpeg,image/png,image/webp"})
    picture_alt = StringField(_("Describe the picture"),
                              validators=[Length(max=300)])
    picture_alt_es = StringField(_("Describe the picture in Spanish (optional)"),
                                 validators=[Length(max=300)])
    remove_picture = BooleanField(_("Remove the picture"))

    @property
    def current_image(self):
        return self._current_image

    @current_image.setter
    def current_image(self, image) -> None:
        """Set by the view; a form shown for the first time also shows the picture's Spanish
        description as the owner typed it."""
        self._current_image = image
        if image is not None and self.picture_alt_es.data is None:
            self.picture_alt_es.data = image.text("alt", "es") if image.translations else ""

    def validate_picture(self, field) -> None:
        self.cleaned_image = None
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            return
        try:
            self.cleaned_image = clean_image(upload.stream.read(MAX_UPLOAD_BYTES + 1))
        except ImageRefused as refused:
            raise ValidationError(REASONS[refused.reason]) from None

    def validate_picture_alt(self, field) -> None:
        uploading = bool(getattr(self.picture.data, "filename", ""))
        keeping = self.current_image is not None and not self.remove_picture.data
        if (uploading or keeping) and not (field.data or "").strip():
            raise ValidationError(_("Say what the picture shows, for people who cannot see "
                                    "it (for example “Volunteers painting a mural under the "
                                    "railway bridge”)."))

    def picture_change(self) -> PictureChange:
        return PictureChange(new=self.cleaned_image, alt=self.picture_alt.data or "",
                             alt_es=self.picture_alt_es.data or "",
                             remove=bool(self.remove_picture.data) and self.cleaned_image is None)
