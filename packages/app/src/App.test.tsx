import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  // The whole app loads lazily: on a loaded 2-core machine its loading bar
  // alone has taken 35 s. Wait for the sign-in page, up to 2 minutes.
  it('renders the portal with its own name on the sign-in page', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Prontuário Médico · Platform Portal' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByText(
        'Prontuário Médico · Platform Portal',
        {},
        { timeout: 120_000 },
      ),
    ).toBeInTheDocument();
  }, 150_000);
});
