import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { ThemeProvider } from '@zendeskgarden/react-theming'
import { afterEach, describe, expect, it } from 'vitest'
import { ClickToCall } from '../src/components/ClickToCall'
import { I18nProvider, makeTranslate } from '../src/i18n'

const DIALING = 'Your phone rings first; when you answer, Centralino calls +39 333 111 2222.'

function contact(hasLiveCall: boolean) {
  return (
    <ThemeProvider>
      <I18nProvider value={{ locale: 'en', timeZone: 'Europe/Rome', t: makeTranslate('en') }}>
        <ClickToCall name="Giulia Rossi" numbers={['+393331112222']} hasLiveCall={hasLiveCall} placeCall={async () => 'CON-1'} onDialed={() => undefined} />
      </I18nProvider>
    </ThemeProvider>
  )
}

afterEach(cleanup)

describe('click-to-call', () => {
  it('drops the dialing note after the call', async () => {
    const { rerender } = render(contact(false))
    fireEvent.click(screen.getByRole('button', { name: 'Call +39 333 111 2222' }))
    await screen.findByText(DIALING)

    rerender(contact(true))
    expect(screen.getByText(DIALING)).toBeTruthy()
    rerender(contact(false))
    await waitFor(() => expect(screen.queryByText(DIALING)).toBeNull())
  })
})
