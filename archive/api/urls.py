"""Api URLs."""

app_name = "api"

urlpatterns = []
