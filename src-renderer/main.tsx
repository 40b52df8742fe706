import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client.js';
import { App } from './App.js';
import { createStores, StoresProvider } from './stores/stores.js';
import './styles.css';

// The one client of this window, and the stores built on it: nothing else opens a transport.
const stores = createStores(createClient());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoresProvider stores={stores}>
      <App />
    </StoresProvider>
  </StrictMode>,
);
