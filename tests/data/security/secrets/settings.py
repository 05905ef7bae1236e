import os

DEBUG = False
SECRET_KEY = "django-insecure-8f3k2m9x!q@w#e$r7t"  # expect: secret-generic
DATABASE_PASSWORD = "Pg-Admin-2024!"  # expect: secret-generic
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": "w1nter-is-coming",  # expect: secret-generic
        "USER": "app",  # ok
        "HOST": os.environ.get("DB_HOST", "localhost"),  # ok
    }
}
REDIS_URL = "redis://:R3disPass99@cache.internal:6379/0"  # expect: secret-connection-string
BROKER_URL = "amqp://guest:guest@localhost:5672//"  # expect: secret-connection-string
STRIPE_SECRET = os.environ["STRIPE_SECRET"]  # ok
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_PASSWORD", "")  # ok
PASSWORD_RESET_TIMEOUT = 3600  # ok
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # ok
AUTH_TOKEN_HEADER = "X-Auth-Token"  # ok
API_TOKEN = "tok_9fK2mQ7xT4vB8nR1pL6w"  # expect: secret-generic
GITHUB_TOKEN = "ghp_8dKq2LmZ0vXa9TbC4nR7sYwE1uF6hJ3gP5oQ"  # expect: secret-github-token
PLACEHOLDER_KEY = "changeme"  # ok
SENTRY_DSN = ""  # ok


def connect(user, password="hunter22"):  # expect: secret-generic
    return user, password


def connect_env(user, password=None):  # ok
    return user, password


def client():
    headers = {"Authorization": "Bearer q8Zt3kP1vN7xR2mW9bL5cJ0h"}  # expect: secret-auth-header
    token_headers = {"Authorization": f"Bearer {os.environ['TOKEN']}"}  # ok
    return headers, token_headers


def sign(payload, jwt):
    return jwt.encode(payload, "my-jwt-s3cret", algorithm="HS256")  # expect: secret-signing-key


def sign_env(payload, jwt):
    return jwt.encode(payload, os.environ["JWT_SECRET"], algorithm="HS256")  # ok
