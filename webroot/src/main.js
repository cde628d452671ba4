// The landing page: sign in, my rooms, join by invite (/join/<code>), and the node's health line.
import { startHealthLine } from './landing/health-line.js';
import { startLanding } from './landing/app.js';

startLanding(document.getElementById('app'), document.getElementById('userbox'));
startHealthLine();
