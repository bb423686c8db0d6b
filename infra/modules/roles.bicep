@description('Storage account the pipeline uses.')
param storageAccountName string

@description('Key Vault holding the SMTP password.')
param keyVaultName string

@description('Application Insights component the app writes telemetry to.')
param applicationInsightsName string

@description('Name of the function app\'s user-assigned identity.')
param appIdentityName string

@description('The Event Grid system topic, whose own identity writes dead-lettered events.')
param eventGridTopicName string

@description('Container the topic dead-letters undeliverable events to.')
param deadLetterContainerName string

@description('Object id of the DSMB principal (a group) that may read closed reports.')
param dsmbPrincipalId string

@description('Object id of the study-team principal (a group) that may read open reports; empty for none.')
param openReportReaderPrincipalId string

@description('Object id of the data managers (a group): drop files into ae-inbox, read ingest-reports and ae-quarantine; empty for none.')
param dataManagerPrincipalId string

@description('Object id of the operators (a group) who run the safety operator commands against Azure; empty for none.')
param operatorPrincipalId string

// Built-in role definition ids (Azure RBAC built-in roles).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource dsmbClosed 'containers' existing = {
      name: 'dsmb-closed'
    }

    resource dsmbOpen 'containers' existing = {
      name: 'dsmb-open'
    }

    resource inbox 'containers' existing = {
      name: 'ae-inbox'
    }

    resource codingDecisions 'containers' existing = {
      name: 'coding-decisions'
    }

    resource ingestReports 'containers' existing = {
      name: 'ingest-reports'
    }

    resource quarantine 'containers' existing = {
      name: 'ae-quarantine'
    }

    resource archive 'containers' existing = {
      name: 'ae-archive'
    }

    resource evaluationInputs 'containers' existing = {
      name: 'evaluation-inputs'
    }

    resource deadLetters 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: appIdentityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: eventGridTopicName
}

// The Functions host needs blob data owner on its AzureWebJobsStorage account (leases, blob trigger receipts);
// the pipeline's containers are in the same account.
resource appBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.storageBlobDataOwner)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The blob trigger's poison queue and the host's internal queues.
resource appQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.storageQueueDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appIdentity.id, roles.storageTableDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appIdentity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, appIdentity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Closed (by-arm) reports: readable by the DSMB principal only, scoped to the dsmb-closed container.
resource dsmbClosedReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::blobService::dsmbClosed.id, dsmbPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::dsmbClosed
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: dsmbPrincipalId
    principalType: 'Group'
  }
}

// Open (pooled) reports: the study team reads dsmb-open and nothing else.
resource openReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(openReportReaderPrincipalId)) {
  name: guid(account::blobService::dsmbOpen.id, openReportReaderPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::dsmbOpen
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: openReportReaderPrincipalId
    principalType: 'Group'
  }
}

// Event Grid writes events it could not deliver to the blob trigger here, with its own identity (no keys).
resource topicDeadLetters 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account::blobService::deadLetters.id, topic.id, roles.storageBlobDataContributor)
  scope: account::blobService::deadLetters
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Data managers drop exports into ae-inbox (shared keys are disabled, so only a data role lets them write) and read
// what became of them: ingest reports and quarantined files. Nothing else, and no report with arms in it.
resource dataManagerInbox 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(dataManagerPrincipalId)) {
  name: guid(account::blobService::inbox.id, dataManagerPrincipalId, roles.storageBlobDataContributor)
  scope: account::blobService::inbox
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: dataManagerPrincipalId
    principalType: 'Group'
  }
}

// The data-management team also codes: its coders drop decision files into coding-decisions (README "Queries, not drops").
resource dataManagerCodingDecisions 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(dataManagerPrincipalId)) {
  name: guid(account::blobService::codingDecisions.id, dataManagerPrincipalId, roles.storageBlobDataContributor)
  scope: account::blobService::codingDecisions
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: dataManagerPrincipalId
    principalType: 'Group'
  }
}

resource dataManagerReports 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(dataManagerPrincipalId)) {
  name: guid(account::blobService::ingestReports.id, dataManagerPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::ingestReports
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: dataManagerPrincipalId
    principalType: 'Group'
  }
}

resource dataManagerQuarantine 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(dataManagerPrincipalId)) {
  name: guid(account::blobService::quarantine.id, dataManagerPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::quarantine
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: dataManagerPrincipalId
    principalType: 'Group'
  }
}

// Operators: `safety ack` and `deletions confirm` write tables (AlertLedger, AdverseEvents), `rules recompute` and
// `report` read them; `deletions confirm` re-reads the archived export and `rules recompute` the kept evaluation
// inputs. The tables hold arms, so operators are unblinded, like the DSMB statistician.
resource operatorTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(account.id, operatorPrincipalId, roles.storageTableDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: operatorPrincipalId
    principalType: 'Group'
  }
}

resource operatorArchive 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(account::blobService::archive.id, operatorPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::archive
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: operatorPrincipalId
    principalType: 'Group'
  }
}

resource operatorEvaluationInputs 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(account::blobService::evaluationInputs.id, operatorPrincipalId, roles.storageBlobDataReader)
  scope: account::blobService::evaluationInputs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
    principalId: operatorPrincipalId
    principalType: 'Group'
  }
}
