"""The lesson's widgets: pure state and views, plus one module (dom) that talks to the browser."""
