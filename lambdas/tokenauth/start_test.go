package tokenauth

import "testing"

func TestHandlerFromEnv(t *testing.T) {
	t.Setenv(EnvSecret, string(secret))
	var got Config
	h, err := HandlerFromEnv(func(c Config) any { got = c; return "picked" })
	if err != nil || h != "picked" || string(got.Secret) != string(secret) {
		t.Errorf("HandlerFromEnv = %v, %v (Config %+v); want pick's handler, given the environment's Config", h, err, got)
	}
	t.Setenv(EnvSecret, "")
	called := false
	if _, err := HandlerFromEnv(func(Config) any { called = true; return nil }); err == nil || called {
		t.Errorf("no secret: err %v, pick called %v; want an error before pick", err, called)
	}
}
