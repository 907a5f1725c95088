import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
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
      await screen.findByText('Prontuário Médico · Platform Portal'),
    ).toBeInTheDocument();
  });
});
