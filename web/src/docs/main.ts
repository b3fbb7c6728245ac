// The API documentation page (/api/docs/): Swagger UI, bundled, rendering /api/schema/.
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './docs.css';

const target = document.getElementById('swagger-ui');
if (target) {
  SwaggerUIBundle({
    url: '/api/schema/',
    domNode: target,
    // Deep links put an <a> inside each operation's toggle button (nested controls).
    deepLinking: false,
    // Nothing is fetched from anywhere but this server: no online validator badge.
    validatorUrl: null,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
}
