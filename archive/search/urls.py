"""Search URLs."""

app_name = "search"

urlpatterns = []
