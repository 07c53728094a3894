// SPDX-License-Identifier: AGPL-3.0-or-later
// Starts Swagger UI on /api/docs from the settings in data- attributes
// (templates/ninja/swagger.html), since the CSP forbids inline scripts.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  var config = JSON.parse(root.dataset.settings);
  var csrfToken = root.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  // With deep links on, each operation's path is a link inside its expand
  // button, which screen readers cannot reach (axe: nested-interactive).
  config.deepLinking = false;
  if (csrfToken) {
    // Session-authenticated writes need Django's CSRF token, as the pages send it.
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    };
  }
  SwaggerUIBundle(config);
})();
