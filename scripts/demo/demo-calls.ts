import path from 'node:path'
import {
  abandoned,
  answeredWithRecording,
  duplicate,
  missed,
  shuffle,
  voicemail,
  withheld,
  type Delivery,
  type ScenarioInput,
} from '../simulator/scenarios'

export const AUDIO_DIR = path.join(__dirname, 'audio')

/** One call the demo plays, with what a support team should then see in Zendesk. */
export interface DemoCall {
  label: string
  deliveries: Delivery[]
  expectOutcome: 'answered' | 'missed' | 'voicemail' | 'abandoned'
  /** True when a recording must end up attached to the ticket. */
  expectRecording: boolean
  /** Rings Vonage's stand-in with a 404 this many times before the file is ready. */
  recordingNotFoundTimes?: number
}

type Recordings = (audio: string, notFoundTimes?: number) => (fileId: string) => string

const ITALIAN_LINE = '390240708090'
const ENGLISH_LINE = '16105553939'

/** The demo's calls: known and unknown callers, Italian and US numbers, every outcome. */
export function demoCalls(recordingUrl: Recordings): DemoCall[] {
  const startAt = new Date(Date.now() - 10 * 60_000)
  const input = (callerNumber: string, calledNumber: string, audio: string, notFoundTimes?: number): ScenarioInput => ({
    callerNumber,
    calledNumber,
    startAt,
    recordingUrl: recordingUrl(audio, notFoundTimes),
  })
  return [
    {
      label: 'known caller, open ticket',
      deliveries: answeredWithRecording(input('393331112222', ITALIAN_LINE, 'call-it.mp3')),
      expectOutcome: 'answered',
      expectRecording: true,
    },
    {
      label: 'new Italian caller',
      deliveries: answeredWithRecording(input('390612345678', ITALIAN_LINE, 'call-it.mp3')),
      expectOutcome: 'answered',
      expectRecording: true,
    },
    {
      label: 'US caller, English line',
      deliveries: answeredWithRecording(input('14845552121', ENGLISH_LINE, 'call-en.mp3')),
      expectOutcome: 'answered',
      expectRecording: true,
    },
    {
      label: 'missed call',
      deliveries: missed(input('393479876543', ITALIAN_LINE, 'call-it.mp3')),
      expectOutcome: 'missed',
      expectRecording: false,
    },
    {
      label: 'voicemail (Italian)',
      deliveries: voicemail(input('393471112233', ITALIAN_LINE, 'voicemail-it.mp3')),
      expectOutcome: 'voicemail',
      expectRecording: true,
    },
    {
      label: 'voicemail (English)',
      deliveries: voicemail(input('12125550147', ENGLISH_LINE, 'voicemail-en.mp3')),
      expectOutcome: 'voicemail',
      expectRecording: true,
    },
    {
      label: 'abandoned while ringing',
      deliveries: abandoned(input('393488887777', ITALIAN_LINE, 'call-it.mp3')),
      expectOutcome: 'abandoned',
      expectRecording: false,
    },
    {
      label: 'withheld number',
      deliveries: withheld(input('Unknown', ITALIAN_LINE, 'call-it.mp3')),
      expectOutcome: 'answered',
      expectRecording: true,
    },
    {
      label: 'duplicated, shuffled events',
      deliveries: shuffle(duplicate(answeredWithRecording(input('393405556666', ITALIAN_LINE, 'call-it.mp3'))), 42),
      expectOutcome: 'answered',
      expectRecording: true,
    },
    {
      label: 'recording late (404 twice)',
      deliveries: answeredWithRecording(input('393407778888', ITALIAN_LINE, 'call-it.mp3', 2)),
      expectOutcome: 'answered',
      expectRecording: true,
    },
  ]
}
