import pytest

from samverka.partnerships.checklist import load_checklist
from samverka.partnerships.services import create_partnership


@pytest.fixture
def partnership(cast):
    load_checklist()
    return create_partnership(
        by=cast.org_admin,
        lead=cast.municipality,
        name="Trygghet i Hammarkullen",
        problem_statement="Unga saknar meningsfull fritid på helgerna.",
    )
