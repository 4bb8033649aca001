"""Request and response shapes of the REST API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field


class Error(Schema):
    code: str = Field(description="Stable, machine-readable error code.")
    message: str = Field(description="Translated, human-readable message.")


class ValidationError(Error):
    errors: dict[str, list[str]] = Field(default_factory=dict, description="Messages per field.")


class MissionOut(Schema):
    slug: str
    name_id: str
    name_en: str
    kind: str
    address: str
    city: str
    time_zone: str
    jurisdiction: list[str]
    currency: str
    phone: str
    email: str


class FeeOut(Schema):
    id: int = Field(description="The fee's id: the `fee_id` an application chooses.")
    case_id: str
    case_en: str
    amount: Decimal
    currency: str


class RequirementOut(Schema):
    kind: Literal["document", "condition"]
    title_id: str
    title_en: str
    explanation_id: str
    explanation_en: str
    form: str
    uploadable: bool
    optional: bool


class ServiceSummaryOut(Schema):
    code: str
    category: str
    name_id: str
    name_en: str
    summary_id: str
    summary_en: str
    service_level_days: int
    counter_minutes: int
    in_person: bool
    channels: list[str]
    fees: list[FeeOut]


class ServiceOut(ServiceSummaryOut):
    description_id: str
    description_en: str
    requirements: list[RequirementOut]


Province = Literal["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]


class ProfileOut(Schema):
    id: str = Field(description="Opaque identifier of the profile.")
    email: str
    email_verified: bool
    mission: str = Field(description="Slug of the mission that serves this citizen.")
    full_name: str
    date_of_birth: dt.date
    sex: Literal["M", "F"]
    nik: str
    passport_number: str
    phone: str
    address_line: str
    city: str
    province: str
    postal_code: str
    preferred_language: Literal["id", "en"]


class ProfileUpdate(BaseModel):
    """Any subset of the profile's fields. Omitted fields keep their value.

    A plain pydantic model (not a ninja ``Schema``, which reads attributes from any object) so that
    a body that is not a JSON object is refused.
    """

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(None, min_length=1, max_length=100)
    date_of_birth: dt.date | None = None
    sex: Literal["M", "F"] | None = None
    nik: str | None = Field(None, max_length=20, description="16 digits, or empty to remove it.")
    passport_number: str | None = Field(None, max_length=12, description="Empty to remove it.")
    phone: str | None = Field(None, min_length=7, max_length=20)
    address_line: str | None = Field(None, min_length=1, max_length=200)
    city: str | None = Field(None, min_length=1, max_length=100)
    province: Province | None = None
    postal_code: str | None = Field(None, min_length=6, max_length=7, examples=["M5V 3L9"])
    preferred_language: Literal["id", "en"] | None = None
