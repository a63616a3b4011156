from boai.core.checks import production_keys


def test_the_deploy_check_refuses_development_keys_and_demo_mode(settings):
    settings.PRODUCTION = True
    settings.DEMO = True
    ids = {e.id for e in production_keys(None)}
    assert {"boai.E001", "boai.E002"} <= ids


def test_the_deploy_check_passes_with_real_keys(settings):
    settings.PRODUCTION, settings.DEMO = True, False
    settings.SECRET_KEY = "x" * 60
    settings.BOAI_FIELD_KEY = "1:" + "ab" * 16
    settings.BOAI_INDEX_KEY = "cd" * 32
    assert production_keys(None) == []


def test_the_deploy_check_wants_an_sms_gateway_in_production(settings):
    settings.PRODUCTION, settings.DEMO = True, False
    settings.BOAI_SMS_BACKEND = "boai.core.sms.HttpGatewayBackend"
    settings.BOAI_SMS_GATEWAY_URL = ""
    assert "boai.E005" in {e.id for e in production_keys(None)}
