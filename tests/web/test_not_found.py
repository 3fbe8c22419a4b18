"""A missing page is a page of the site, not a bare error."""

from django.test import Client


def test_a_missing_page_answers_404_with_the_site_around_it(db: None) -> None:
    response = Client().get("/s/no-such-link/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<title>Not found · mentorbadges</title>" in page
    assert 'href="/"' in page
