from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from cms import views as cms_views
from config.media import public_media
from notifications import views as notification_views

# Every log-in goes through allauth's rate-limited, two-factor aware flow.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Alongside back office"

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Wagtail's own log-in form would skip allauth's rate limits and two-step log-in.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True)),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("me/notifications/", include("notifications.urls")),
    path("me/calendar/", include("notifications.calendar_urls")),
    # The addresses phones subscribed to before there was one calendar (mentoring's meetings and
    # volunteering's shifts): they serve the person's one calendar until they make a new address.
    path(
        "mentoring/calendar/<str:token>.ics",
        notification_views.calendar_feed,
        name="earlier_meetings_feed",
    ),
    path(
        "volunteering/calendar/<str:token>/shifts.ics",
        notification_views.calendar_feed,
        name="earlier_shifts_feed",
    ),
    path("me/", include("accounts.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("volunteering/", include("volunteering.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("chat/", include("chat.urls")),
    path("stories/", include("stories.urls")),
    path("site/", include("cms.urls")),
    path("impact/", include("impact.urls")),
    path("manifest.webmanifest", account_views.manifest, name="manifest"),
    path("sw.js", account_views.service_worker, name="service_worker"),
    path("offline/", account_views.offline, name="offline"),
]

if not settings.MEDIA_BUCKET:
    # Public images from this machine's disk, with DEBUG on or off (config/media.py).
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", public_media))

# Wagtail's public pages: marked public here because the site denies by default.
urlpatterns += [
    path("sitemap.xml", cms_views.sitemap, name="sitemap"),
    re_path(
        wagtail_urls.serve_pattern,
        login_not_required(wagtail_views.serve),
        name="wagtail_serve",
    ),
]

# With DEBUG off: our own 500 page, which shows the crisis lines without a request context.
handler500 = "config.errors.server_error"
