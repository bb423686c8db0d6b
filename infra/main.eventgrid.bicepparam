// Step 2 of README "Deploy": the same parameters plus the Event Grid subscription into the blob trigger.
using 'main.bicep'

param name = 'camsafety'
param environment = 'prod'
param dsmbPrincipalId = '11111111-1111-1111-1111-111111111111'
param openReportReaderPrincipalId = '22222222-2222-2222-2222-222222222222'
param safetyPhysicianEmails = ['safety.physician@example.org']
param dsmbEmails = ['dsmb.chair@example.org', 'dsmb.statistician@example.org']
param dataManagerEmails = ['data.manager@example.org']
param escalationEmails = ['medical.monitor@example.org']
param mailFrom = 'Camrelizumab Safety <safety-noreply@example.org>'
param smtpHost = 'smtp.example.org'
param smtpUserName = 'safety-noreply@example.org'
param smtpPassword = readEnvironmentVariable('SMTP_PASSWORD', '')
param deployEventSubscription = true
param blobExtensionWebhookUrl = readEnvironmentVariable('BLOB_EXTENSION_WEBHOOK_URL', '')
