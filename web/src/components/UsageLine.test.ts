import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n';
import UsageLine from './UsageLine.vue';

const model = { id: 'claude', contextWindowTokens: 200_000, pricing: { inputPerMTok: 3, outputPerMTok: 15, currency: 'USD' } };
const context = { estimatedInputTokens: 150_000, contextWindowTokens: 200_000, maxOutputTokens: 4_000, includedMessages: 8, droppedMessages: 3, truncatedFileIds: ['f1'] };

describe('UsageLine', () => {
  afterEach(() => (document.body.innerHTML = ''));
  const mountLine = (locale: 'en' | 'fr' = 'en') =>
    mount(UsageLine, { attachTo: document.body, props: { usage: { inputTokens: 151_234, outputTokens: 420 }, context, model }, global: { plugins: [createAppI18n(locale)] } });

  it('is one button saying tokens, cost and context, with a mark when something was left out', () => {
    const line = mountLine();
    const button = line.get('button');
    expect(button.classes()).toContain('whitespace-nowrap');
    expect(button.text()).toMatch(/^151\.2K in · 420 out\s+≈ \$0\.46\d\s+Context 75% full⚠, 3 older/);
    expect(button.text()).toContain('3 older messages left out to fit, 1 files cut to fit');
    expect(button.attributes('aria-expanded')).toBe('false');
  });

  it('shows the details in words on a tap, and Escape hides them and gives the focus back', async () => {
    const line = mountLine();
    const button = line.get('button');
    await button.trigger('click');
    const details = line.get('[role="group"]');
    expect(details.attributes('aria-label')).toBe('About this answer');
    expect(button.attributes('aria-controls')).toBe(details.attributes('id'));
    expect(details.text()).toContain('Tokens151,234 in · 420 out');
    expect(details.text()).toContain('About 150K of 200K tokens of the model\'s context window were used for this answer.');
    expect(details.findAll('li').map((item) => item.text())).toEqual(['3 older messages left out to fit', '1 files cut to fit']);

    await details.trigger('keydown', { key: 'Escape' });
    expect(line.find('[role="group"]').exists()).toBe(false);
    expect(document.activeElement).toBe(button.element);
  });

  it('speaks French', async () => {
    const line = mountLine('fr');
    await line.get('button').trigger('click');
    expect(line.get('[role="group"]').text()).toContain('À propos de cette réponse');
    expect(line.get('[role="group"]').text()).toContain('Coût estimé');
  });
});
