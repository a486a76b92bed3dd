"""URLs of the accounts app.

The names are not namespaced: Django's password views and the LOGIN_URL and
LOGIN_REDIRECT_URL settings refer to them as ``login``, ``home``, ``password_reset_confirm``
and so on.
"""

from __future__ import annotations

from django.urls import path

from peerprinciples.web.accounts import two_factor_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("sign-in/", views.login, name="login"),
    path("sign-in/code/", two_factor_views.sign_in_code, name="sign_in_code"),
    path("sign-out/", views.logout, name="logout"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/change/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("two-factor/", two_factor_views.overview, name="two_factor"),
    path("two-factor/set-up/", two_factor_views.set_up, name="two_factor_set_up"),
    path(
        "two-factor/recovery-codes/",
        two_factor_views.recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/off/", two_factor_views.switch_off, name="two_factor_off"),
]
